"""One checkov run over every policy test folder, shared by the whole session."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.checkov_once import CHECKOV, once

HERE = Path(__file__).parent
POLICIES = HERE.parents[1] / "policies" / "checkov"


def _our_check_ids() -> list[str]:
    return sorted(p.name for p in HERE.iterdir() if p.is_dir() and p.name.startswith("CKV_TRL_"))


def _run(workdir: Path) -> list[dict[str, Any]]:
    """Plain checkov over tests/policies with our policies; one record per result."""
    command = [
        CHECKOV,
        "-d",
        str(HERE),
        "--framework",
        "terraform",
        "--skip-download",
        "--external-checks-dir",
        str(POLICIES),
        "--check",
        ",".join(_our_check_ids()),
        "-o",
        "json",
        "--compact",
        "--output-file-path",
        str(workdir),
    ]
    env = dict(os.environ, BC_SKIP_MAPPING="TRUE")
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert done.returncode in (0, 1), done.stderr[-3000:]
    report = json.loads((workdir / "results_json.json").read_text(encoding="utf-8"))
    records = []
    for key, outcome in (("passed_checks", "passed"), ("failed_checks", "failed")):
        for record in report["results"][key]:
            records.append(
                {
                    "check_id": record["check_id"],
                    "outcome": outcome,
                    "folder": record["file_path"].strip("/").split("/")[0],
                    "resource": record["resource"],
                }
            )
    return records


@pytest.fixture(scope="session")
def policy_results(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """Every CKV_TRL_ result checkov produced over tests/policies (run once per session)."""
    return once(tmp_path_factory, "policy-results", _run)
