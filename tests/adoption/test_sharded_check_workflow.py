"""The sharded pull-request check, executed: a team repository whose ``trellis.yaml`` sets
a low ``check.shard_above_stacks`` runs each job of the shard matrix and then the merging
``check`` job step by step (tests/adoption/actions_runner.py), with trellis from its wheel.

The artifact actions are the only part GitHub does between the jobs: the upload
substitute copies each shard's listed files into an artifact store (one folder per
artifact name), the download substitute copies the artifacts matching ``pattern`` into
``path`` (``merge-multiple``: one folder). The merged ``trellis.sarif`` the job uploads to
code scanning must equal the SARIF of one unsharded ``trellis check`` of the same commit.
"""

from __future__ import annotations

import fnmatch
import json
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.adoption.actions_runner import JobContext, Substitute, run_job
from tests.adoption.conftest import Installed
from tests.adoption.test_generated_workflows import PR, _load, _runner, _substitutes

SHARDS = 2
SETTINGS = f"check:\n  shard_above_stacks: 1\n  shards: {SHARDS}\n"


@pytest.fixture(scope="module")
def sharded_repo(
    installed: Installed, team_repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The team repository with ``check.shard_above_stacks: 1`` (it has two blueprint
    stacks), re-rendered by the installed trellis and committed."""
    repo = tmp_path_factory.mktemp("sharded") / "repo"
    subprocess.run(["git", "clone", "--quiet", str(team_repo), str(repo)], check=True)
    settings = repo / "trellis.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + SETTINGS, encoding="utf-8")
    installed.run("trellis", "render", cwd=repo)
    git = ["git", "-c", "user.name=team", "-c", "user.email=team@example.com"]
    installed.run("git", "add", "--all", cwd=repo)
    installed.run(*git, "commit", "--quiet", "--message", "shard the check", cwd=repo)
    return repo


def _fresh_runner(installed: Installed, repo: Path, directory: Path) -> JobContext:
    """A runner of its own (its own workspace and temp dir) for one job."""
    directory.mkdir()
    return _runner(installed, repo, directory)


def _artifact_substitutes(installed: Installed, store: Path) -> dict[str, Substitute]:
    """The usual substitutes, with upload/download-artifact carrying files between jobs."""
    substitutes = _substitutes(installed)
    check_upload = substitutes["actions/upload-artifact"]

    def upload_artifact(inputs: Mapping[str, Any], ctx: JobContext) -> None:
        check_upload(inputs, ctx)
        target = store / ctx.expand(str(inputs["name"]))
        target.mkdir(parents=True)
        for line in ctx.expand(str(inputs["path"])).splitlines():
            shutil.copy2(ctx.workspace / line.strip(), target / Path(line.strip()).name)

    def download_artifact(inputs: Mapping[str, Any], ctx: JobContext) -> None:
        assert inputs["merge-multiple"] is True
        destination = ctx.workspace / str(inputs["path"])
        destination.mkdir(parents=True, exist_ok=True)
        matched = sorted(p for p in store.iterdir() if fnmatch.fnmatch(p.name, inputs["pattern"]))
        assert matched, f"no artifact matches {inputs['pattern']}"
        for artifact in matched:
            for file in artifact.iterdir():
                shutil.copy2(file, destination / file.name)

    return {
        **substitutes,
        "actions/upload-artifact": upload_artifact,
        "actions/download-artifact": download_artifact,
    }


def test_shard_jobs_and_merge_job_upload_the_unsharded_checks_sarif(
    installed: Installed, sharded_repo: Path, tmp_path: Path
) -> None:
    """Each shard job runs green and uploads its SARIF and JUnit; the `check` job downloads
    them, merges, and uploads one SARIF equal to a plain `trellis check`'s."""
    store = tmp_path / "artifacts"
    store.mkdir()
    substitutes = _artifact_substitutes(installed, store)
    workflow = _load(sharded_repo / PR)
    matrix = workflow["jobs"]["check-shards"]["strategy"]["matrix"]["shard"]
    assert matrix == list(range(1, SHARDS + 1))
    for shard in matrix:
        context = _fresh_runner(installed, sharded_repo, tmp_path / f"shard-{shard}")
        context.matrix = {"shard": str(shard)}
        run_job(workflow, "check-shards", context, substitutes)
    assert sorted(p.name for p in store.iterdir()) == [
        f"trellis-check-shard-{k}" for k in range(1, SHARDS + 1)
    ]
    merge = _fresh_runner(installed, sharded_repo, tmp_path / "merge")
    run_job(workflow, "check", merge, substitutes)
    merged = (merge.workspace / "trellis.sarif").read_text(encoding="utf-8")
    assert (store / "trellis-check-junit" / "trellis.junit.xml").is_file()

    plain = _fresh_runner(installed, sharded_repo, tmp_path / "plain")
    installed.run("trellis", "check", "--format", "sarif", "--output", "full.sarif",
                  cwd=plain.workspace)  # fmt: skip
    assert merged == (plain.workspace / "full.sarif").read_text(encoding="utf-8")
    results = json.loads(merged)["runs"][0]["results"]
    assert [r for r in results if r["level"] == "error"] == []
