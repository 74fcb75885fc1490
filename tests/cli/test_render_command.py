"""`trellis render` refuses an output path that is a regular file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import cli
from generator.errors import UserError
from generator.pipeline import render_repository
from tests.blueprint.repo import example_repository


def test_render_out_that_is_a_file_is_refused(tmp_path: Path) -> None:
    """render --out FILE exits 2 with a fix and never replaces the file."""
    repo = example_repository(tmp_path / "repo")
    target = tmp_path / "build"
    target.write_text("my notes\n")
    result = CliRunner().invoke(cli, ["render", str(repo), "--out", str(target)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert target.read_text() == "my notes\n"


def test_render_repository_refuses_a_file_before_any_work(tmp_path: Path) -> None:
    """The library call raises the user error naming the path and the fix."""
    repo = example_repository(tmp_path / "repo")
    (repo / "build").write_text("x")
    with pytest.raises(UserError) as caught:
        render_repository(repo, cache_dir=tmp_path / "cache")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.file.endswith("build")
    assert "is a file, not a directory" in diagnostic.message
    assert diagnostic.hint == "pass --out with a directory path, or move the file away"
    assert (repo / "build").read_text() == "x"
