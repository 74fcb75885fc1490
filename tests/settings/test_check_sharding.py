"""trellis.yaml ``check``: when the pull-request check is split into shards, validated with
positions, and what the rendered workflow becomes on either side of the threshold."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from generator.cli.main import cli
from generator.pipeline import render_repository, workflow_installation
from generator.settings.model import DEFAULT_SHARD_ABOVE_STACKS, DEFAULT_SHARDS
from generator.workflows import CheckSharding
from tests.blueprint.repo import example_repository

PR = PurePosixPath(".github/workflows/trellis-pr.yml")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A fresh copy of the example repository (5 blueprints x 3 environments)."""
    return example_repository(tmp_path)


def _workflow(repo: Path) -> dict[str, Any]:
    tree = render_repository(repo, write=False).tree
    document: dict[str, Any] = YAML(typ="safe").load(tree[PR])
    return document


def test_defaults_are_documented_values(repo: Path) -> None:
    """Without ``check:``, shard above 60 stacks into 4 shards."""
    assert (DEFAULT_SHARD_ABOVE_STACKS, DEFAULT_SHARDS) == (60, 4)
    assert workflow_installation(repo).sharding == CheckSharding(60, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("check:\n  shards: 1\n", "trellis.yaml:2:11: check.shards"),
        ("check:\n  shard_above_stacks: 0\n", "trellis.yaml:2:23: check.shard_above_stacks"),
        ("check:\n  shards: four\n", "check.shards"),
        ("check:\n  shard_above: 10\n", "trellis.yaml:2:3: check.shard_above unknown field"),
        ("check:\n  shards: 65\n", "check.shards"),
    ],
)
def test_bad_sharding_settings_are_positioned_errors(repo: Path, text: str, expected: str) -> None:
    """A bad ``check:`` value is reported with file:line:column and field; exit 2."""
    (repo / "trellis.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(repo)])
    assert result.exit_code == 2
    assert expected in result.stderr and "Traceback" not in result.output


def test_below_the_threshold_the_check_is_one_job(repo: Path) -> None:
    """15 blueprint stacks, threshold 15: one `check` job, as without the setting."""
    (repo / "trellis.yaml").write_text("check:\n  shard_above_stacks: 15\n", encoding="utf-8")
    jobs = _workflow(repo)["jobs"]
    assert "check-shards" not in jobs
    assert "trellis check --format sarif" in jobs["check"]["steps"][-2]["run"]


def test_above_the_threshold_the_check_is_a_shard_matrix_and_a_merge(repo: Path) -> None:
    """15 stacks, threshold 14, 3 shards: a 3-way matrix uploading SARIF and JUnit, and the
    `check` job (the name plan jobs and branch protection wait for) merging them into one
    SARIF uploaded with the pinned upload-sarif action."""
    (repo / "trellis.yaml").write_text(
        "check:\n  shard_above_stacks: 14\n  shards: 3\n", encoding="utf-8"
    )
    workflow = _workflow(repo)
    jobs = workflow["jobs"]
    shard_job, merge_job = jobs["check-shards"], jobs["check"]
    assert shard_job["strategy"]["matrix"] == {"shard": [1, 2, 3]}
    check_step = next(s for s in shard_job["steps"] if "trellis check" in s.get("run", ""))
    assert check_step["env"] == {"SHARD": "${{ matrix.shard }}", "SHARDS": "3"}
    assert '--shard "${SHARD}/${SHARDS}"' in check_step["run"]
    assert "trellis render --check" in check_step["run"]
    upload = shard_job["steps"][-1]
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert upload["with"]["path"].splitlines() == [
        "trellis-shard-${{ matrix.shard }}.sarif",
        "trellis-shard-${{ matrix.shard }}.junit.xml",
    ]
    assert merge_job["needs"] == ["check-shards"] and merge_job["if"] == "${{ !cancelled() }}"
    uses = [s["uses"].split("@")[0] for s in merge_job["steps"] if "uses" in s]
    assert uses.count("github/codeql-action/upload-sarif") == 1
    assert "actions/download-artifact" in uses
    merge = next(s for s in merge_job["steps"] if "--merge" in s.get("run", ""))
    assert "trellis check --merge shards/*.sarif --output trellis.sarif" in merge["run"]
    assert jobs["plan"]["needs"] == ["check", "stacks"]
    assert "security-events" not in shard_job["permissions"]
