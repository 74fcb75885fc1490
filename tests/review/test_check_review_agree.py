"""`trellis check` (checkov on HCL) and `trellis review` (checkov on the plan) agree.

Both run, as a user runs them, on every example in a repository of its own: render,
check, plan offline, review. The failed checks must be the same set (both empty today),
and every failure the review sets aside as covered by the reviewed skips must be a skip
that `trellis check` applied to the same stack, check and resource.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli.main import cli
from generator.schema.loader import ENV_VAR, load_provider_schema, schema_sha256
from tests.checkov_once import CHECKOV, once

ROOT = Path(__file__).resolve().parents[2]
# A plan names each instance of a counted or for_each block (`this["GET /auth/me"]`,
# `this[0]`); checkov on HCL names the block. A skip covers every instance of its block.
_INSTANCE_KEY = re.compile(r'\["(?:[^"\\]|\\.)*"\]|\[\d+\]')


def _block(address: str) -> str:
    """The resource block of a plan address: instance keys removed."""
    return _INSTANCE_KEY.sub("", address)


def _run(args: list[str]) -> tuple[int, str, str]:
    """(exit code, standard output, everything printed) of one trellis command."""
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.stdout, result.output


def _both(workdir: Path) -> dict[str, Any]:
    """render → check → plan --offline → review in a copy of the examples."""
    repo = workdir / "repo"
    for part in ("blueprints", "environments"):
        shutil.copytree(ROOT / part, repo / part, dirs_exist_ok=True)
    code, _, output = _run(["render", str(repo)])
    assert code == 0, output
    _, checked, _ = _run(["check", str(repo), "--format", "json", "--checkov", CHECKOV])
    code, _, output = _run(["plan", "--offline", str(repo)])
    assert code == 0, output
    plans = sorted(str(p) for p in (repo / ".trellis" / "plans").glob("*/*/plan.json"))
    review_file = workdir / "review.json"
    _run(["review", *plans, "--repo", str(repo), "--format", "json", "--output", str(review_file)])
    return {"check": json.loads(checked), "review": json.loads(review_file.read_text())}


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory, monkeypatch_module: Any) -> dict[str, Any]:
    """The JSON reports of check and review on the examples (computed once per session)."""
    return once(tmp_path_factory, "check-review-agree", _both)


@pytest.fixture(scope="module")
def monkeypatch_module() -> Any:
    """TRELLIS_CHECKOV for the CLI commands, and the committed provider schema (another
    suite may point TRELLIS_PROVIDER_SCHEMA at the 6.47.0 snapshot, which lacks WAFv2)."""
    patch = pytest.MonkeyPatch()
    patch.setenv("TRELLIS_CHECKOV", CHECKOV)
    patch.delenv(ENV_VAR, raising=False)
    load_provider_schema.cache_clear()
    schema_sha256.cache_clear()
    yield patch
    patch.undo()
    load_provider_schema.cache_clear()
    schema_sha256.cache_clear()


def _stack(plan_file: str) -> str:
    parts = Path(plan_file).parts
    return f"{parts[-3]}/{parts[-2]}"


@pytest.mark.slow
def test_same_failed_checks(both: dict[str, Any]) -> None:
    """checkov on the HCL and checkov on the plans fail the same checks on the same resources."""
    on_hcl = {
        (f["stack"], f["check_id"], f["resource"])
        for f in both["check"]["findings"]
        if f.get("validator") == "checkov"
    }
    on_plan = {
        (_stack(s["plan_file"]), f["check_id"], f["resource"])
        for s in both["review"]["stacks"]
        for f in s["checkov"]
    }
    assert on_plan == on_hcl
    assert both["review"]["checkov_errors"] == []


@pytest.mark.slow
def test_review_sets_aside_only_skips_that_check_applied(both: dict[str, Any]) -> None:
    """Every plan failure the review calls covered is a skip check applied to that block."""
    applied = {(s["stack"], s["check_id"], _block(s["resource"])) for s in both["check"]["skips"]}
    covered = {
        (f["stack"], f["check_id"], _block(f["resource"]))
        for f in both["review"]["checkov_skipped"]
    }
    assert covered
    assert covered - applied == set()
