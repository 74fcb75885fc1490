"""Sharded `trellis check` equals the unsharded one, with checkov and every validator real.

Run as a user runs it (the ``trellis`` executable, ``--no-render`` over a rendered tree) on
two repositories: a copy of the examples (3 shards) and one made by ``trellis init`` with
two environments and one blueprint of each kind (4 shards, so shards outnumber some
environments' stacks). The shards run in a copy of the repository with an empty cache, so
no shard reuses the full check's checkov results.

No field needs normalising: the reports hold no timings, dates or absolute paths, so the
merged SARIF, JUnit and JSON must equal the full check's byte for byte.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.checkov_once import CHECKOV, once

ROOT = Path(__file__).resolve().parents[2]
TRELLIS = str(Path(sys.executable).with_name("trellis"))
FORMATS = ("json", "sarif", "junit")


def _trellis(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TRELLIS_CHECKOV=CHECKOV, NO_COLOR="1")
    return subprocess.run(
        [TRELLIS, *args], capture_output=True, text=True, env=env, cwd=cwd, check=False
    )


def _checked(repo: Path, name: str, extra: tuple[str, ...]) -> dict[str, Any]:
    """One check writing all three formats; its exit code and texts."""
    reports = [f"--report={fmt}={repo.parent / f'{name}.{fmt}'}" for fmt in FORMATS]
    done = _trellis("check", str(repo), "--no-render", *extra, *reports)
    assert done.returncode in (0, 1), done.stderr
    texts = {fmt: (repo.parent / f"{name}.{fmt}").read_text(encoding="utf-8") for fmt in FORMATS}
    return {"exit": done.returncode, **texts}


def _shard_and_merge(repo: Path, count: int) -> dict[str, Any]:
    """The full check, each of ``count`` shards (cold cache) and the merge of each format."""
    shards_repo = repo.parent / "shards-repo"
    shutil.copytree(repo, shards_repo, ignore=shutil.ignore_patterns(".trellis"))
    result: dict[str, Any] = {"full": _checked(repo, "full", ()), "shards": []}
    for index in range(1, count + 1):
        shard = _checked(shards_repo, f"shard-{index}", (f"--shard={index}/{count}",))
        result["shards"].append(shard)
    result["merged"] = {}
    for fmt in FORMATS:
        files = [str(repo.parent / f"shard-{i}.{fmt}") for i in range(1, count + 1)]
        done = _trellis("check", "--merge", *files)
        assert done.returncode in (0, 1), done.stderr
        result["merged"][fmt] = {"exit": done.returncode, "text": done.stdout}
    return result


def _examples(workdir: Path) -> dict[str, Any]:
    repo = workdir / "repo"
    for part in ("blueprints", "environments", "policies"):
        shutil.copytree(ROOT / part, repo / part)
    done = _trellis("render", str(repo))
    assert done.returncode == 0, done.stderr
    return _shard_and_merge(repo, 3)


def _generated(workdir: Path) -> dict[str, Any]:
    repo = workdir / "repo"
    repo.mkdir()
    steps = [
        ("init", "environment", "dev", "--account-id", "111111111111"),
        ("init", "environment", "prd", "--account-id", "222222222222"),
        ("init", "IngestionPipeline", "payments", "--team", "billing"),
        ("init", "IngestionPipeline", "refunds", "--team", "billing"),
        ("init", "StaticSite", "portal", "--team", "web"),
        ("init", "AuthFlow", "login", "--team", "identity"),
        ("render",),
    ]
    for step in steps:
        done = _trellis(*step, cwd=repo)
        assert done.returncode == 0, (step, done.stderr)
    return _shard_and_merge(repo, 4)


@pytest.fixture(scope="module", params=["examples", "generated"])
def runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Full, sharded and merged reports of one repository (computed once per session)."""
    produce = _examples if request.param == "examples" else _generated
    return once(tmp_path_factory, f"shard-equality-{request.param}", produce)


def test_union_of_shard_findings_is_the_full_checks_findings(runs: dict[str, Any]) -> None:
    """Every stack in exactly one shard; the shards' findings and skips, together, are the
    full check's, and no finding or skip is reported by two shards."""
    full = json.loads(runs["full"]["json"])
    shards = [json.loads(s["json"]) for s in runs["shards"]]
    stacks = [stack for shard in shards for stack in shard["stacks"]]
    assert sorted(stacks) == sorted(full["stacks"]) and len(stacks) == len(set(stacks))
    for key in ("findings", "skips"):
        union = [json.dumps(item, sort_keys=True) for shard in shards for item in shard[key]]
        assert len(union) == len(set(union)), key
        assert sorted(union) == sorted(json.dumps(i, sort_keys=True) for i in full[key])


def test_repository_wide_checks_run_in_shard_one_only(runs: dict[str, Any]) -> None:
    """Findings about files of no stack (modules, workflows) come from shard 1 alone."""
    shards = [json.loads(s["json"]) for s in runs["shards"]]
    for later in shards[1:]:
        assert [f for f in later["findings"] if f["stack"] is None] == []
    full = json.loads(runs["full"]["json"])
    shared = [f for f in full["findings"] if f["stack"] is None]
    assert [f for f in shards[0]["findings"] if f["stack"] is None] == shared


@pytest.mark.parametrize("fmt", FORMATS)
def test_merged_report_is_the_full_checks_report(runs: dict[str, Any], fmt: str) -> None:
    """`trellis check --merge` of the shards' files is byte-identical to the full check's
    file and exits with the full check's code."""
    assert runs["merged"][fmt]["text"] == runs["full"][fmt]
    assert runs["merged"][fmt]["exit"] == runs["full"]["exit"]
    assert max(s["exit"] for s in runs["shards"]) == runs["full"]["exit"]
