"""The checkov validator: findings per stack, reviewed skips, and the per-stack cache."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from generator.check.runner import run_checks
from tests.check.conftest import add_defects_stack, checkov_wrapper, context_for, copy_basic


def _failing(report: dict[str, Any], stack: str) -> set[tuple[str, str | None]]:
    return {
        (f["check_id"], f["resource"])
        for f in report["findings"]
        if f["stack"] == stack and f["severity"] != "note"
    }


def test_clean_stacks_have_no_findings(defects_run: dict[str, Any]) -> None:
    """dev/orders and prd/orders pass every built-in check and every CKV_TRL_ policy."""
    report = defects_run["report"]
    assert _failing(report, "dev/orders") == set()
    assert _failing(report, "prd/orders") == set()


def test_bucket_without_versioning_is_caught(defects_run: dict[str, Any]) -> None:
    """A bucket with no versioning fails our CKV_TRL_6 and checkov's own versioning checks."""
    failing = _failing(defects_run["report"], "dev/defects")
    address = "aws_s3_bucket.unversioned"
    assert {
        ("CKV_TRL_6", address),
        ("CKV_AWS_21", address),
        ("CKV2_AWS_61", address),
        ("CKV2_AWS_62", address),
        ("CKV_AWS_18", address),
        ("CKV_AWS_144", address),
        ("CKV2_AWS_6", address),
        ("TRL_SKIP_UNREVIEWED", address),
    } == failing
    assert defects_run["exit_code"] == 1


def test_finding_names_file_line_resource_and_fix(defects_run: dict[str, Any]) -> None:
    """A checkov finding carries the build-relative file, the line, the check name and a fix."""
    finding = next(
        f
        for f in defects_run["report"]["findings"]
        if f["check_id"] == "CKV_TRL_6" and f["stack"] == "dev/defects"
    )
    assert finding["file"] == "dev/defects/main.tf"
    assert finding["line"] is not None and finding["line"] > 100
    assert finding["message"].startswith("Ensure an S3 bucket is versioned")
    assert "noncurrent_version_expiration" in finding["fix"]
    assert finding["validator"] == "checkov"


def test_module_findings_are_attributed_to_each_calling_stack(defects_run: dict[str, Any]) -> None:
    """A skip applied inside a shared module is listed once per stack that calls it."""
    skips = defects_run["report"]["skips"]
    buckets = {
        s["stack"]
        for s in skips
        if s["check_id"] == "CKV_AWS_18" and s["resource"] == "module.backup.aws_s3_bucket.this"
    }
    assert buckets == {"dev/defects", "dev/orders", "prd/orders"}
    assert all(
        s["file"] == "modules/backup_bucket/main.tf"
        for s in skips
        if s["resource"] == "module.backup.aws_s3_bucket.this"
    )


def test_unreviewed_skip_names_the_table(defects_run: dict[str, Any]) -> None:
    """A #checkov:skip not in policies/skips.yaml is an error that says how to fix it."""
    finding = next(
        f for f in defects_run["report"]["findings"] if f["check_id"] == "TRL_SKIP_UNREVIEWED"
    )
    assert "CKV_AWS_145" in finding["message"]
    assert "policies/skips.yaml" in finding["fix"]


def test_reviewed_skips_are_listed_with_reasons(defects_run: dict[str, Any]) -> None:
    """Every applied skip of a clean stack comes with the reason from the reviewed table."""
    reasons = {
        s["check_id"]: s["reason"]
        for s in defects_run["report"]["skips"]
        if s["stack"] == "dev/orders"
    }
    assert reasons["CKV_AWS_117"].startswith("functions call public AWS endpoints")
    assert set(reasons) == {
        "CKV2_AWS_62",
        "CKV_AWS_109",
        "CKV_AWS_111",
        "CKV_AWS_116",
        "CKV_AWS_117",
        "CKV_AWS_144",
        "CKV_AWS_173",
        "CKV_AWS_18",
        "CKV_AWS_272",
        "CKV_AWS_356",
    }


@pytest.mark.slow
def test_cache_rescans_only_stacks_whose_inputs_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unchanged stacks are not rescanned; a shared module change rescans every caller."""
    repo = copy_basic(tmp_path / "repo")
    add_defects_stack(repo)
    log = tmp_path / "scans.log"
    monkeypatch.setenv("TRELLIS_CHECKOV", str(checkov_wrapper(tmp_path, log)))
    context = context_for(repo)

    def scans() -> list[str]:
        return log.read_text(encoding="utf-8").splitlines() if log.exists() else []

    first = run_checks(context, only=["checkov"])
    assert scans() == ["dev__defects dev__orders prd__orders"]

    again = run_checks(context, only=["checkov"])
    assert scans() == ["dev__defects dev__orders prd__orders"]
    assert again.findings == first.findings and again.skips == first.skips

    outputs = repo / "build" / "prd" / "orders" / "outputs.tf"
    outputs.write_text(outputs.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    run_checks(context, only=["checkov"])
    assert scans()[-1] == "prd__orders"

    module = repo / "build" / "modules" / "queue" / "main.tf"
    module.write_text(module.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    after = run_checks(context, only=["checkov"])
    assert scans()[-1] == "dev__defects dev__orders prd__orders"
    assert after.findings == first.findings
    assert os.environ["TRELLIS_CHECKOV"].endswith("checkov")
