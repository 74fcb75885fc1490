"""Report formats: the same report as a table, JSON, SARIF 2.1.0, JUnit and GitHub annotations."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.check.outcome import AppliedSkip, CheckReport, Status, ValidatorOutcome
from generator.check.report import render
from generator.policy.findings import Finding, Severity

SCHEMA = json.loads(
    (Path(__file__).parent / "fixtures" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)

REPORT = CheckReport(
    stacks=("dev/orders", "prd/orders", "prd/payments"),
    validators=(
        ValidatorOutcome("hcl_parse", "HCL parses", Status.PASSED),
        ValidatorOutcome("terraform_fmt", "terraform fmt", Status.FAILED, findings=1),
        ValidatorOutcome("checkov", "checkov", Status.FAILED, findings=2),
        ValidatorOutcome(
            "iam",
            "IAM lint",
            Status.NOT_AVAILABLE,
            detail="module generator.check.iam is not installed in this build",
        ),
    ),
    findings=(
        Finding(
            "CKV_TRL_6",
            Severity.ERROR,
            "Ensure an S3 bucket is versioned",
            "checkov",
            file="modules/backup_bucket/main.tf",
            line=1,
            resource="module.backup.aws_s3_bucket.this",
            stack="prd/orders",
            fix="add aws_s3_bucket_versioning",
        ),
        Finding(
            "TRL_FMT",
            Severity.ERROR,
            "not in terraform fmt style, 100%",
            "terraform_fmt",
            file="modules/queue/main.tf",
            fix="run terraform fmt",
        ),
        Finding(
            "TRL_TF_CONFIG_UNREAD",
            Severity.NOTE,
            "diagnostics unavailable",
            "hcl_parse",
            file="modules/queue",
        ),
    ),
    skips=(
        AppliedSkip(
            "CKV_AWS_117",
            "module.processing.aws_lambda_function.this",
            "modules/function/main.tf",
            29,
            "dev/orders",
            "no VPC resources to reach",
        ),
    ),
)


def _render(fmt: str, **kwargs: Any) -> str:
    return render(REPORT, fmt, build_prefix="build", **kwargs)


def test_sarif_is_valid_against_the_sarif_2_1_0_schema() -> None:
    """The SARIF log validates against the OASIS SARIF 2.1.0 JSON Schema."""
    log = json.loads(_render("sarif"))
    jsonschema.Draft4Validator(SCHEMA).validate(log)


def test_sarif_locations_are_relative_to_the_repository_root() -> None:
    """Results point at build/... paths with a start line, as GitHub code scanning needs."""
    run = json.loads(_render("sarif"))["runs"][0]
    locations = [r["locations"][0]["physicalLocation"] for r in run["results"]]
    uris = {loc["artifactLocation"]["uri"] for loc in locations}
    assert uris == {
        "build/modules/backup_bucket/main.tf",
        "build/modules/queue/main.tf",
        "build/modules/queue",
        "build/modules/function/main.tf",
    }
    assert all(loc["region"]["startLine"] >= 1 for loc in locations)


def test_sarif_rules_carry_help_and_indices_match() -> None:
    """Every result's rule exists with help text, and ruleIndex points at it."""
    run = json.loads(_render("sarif"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert all(rule["help"]["text"] for rule in rules)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_lists_skips_as_suppressed_results() -> None:
    """An applied skip is a result with an inSource suppression carrying the reason."""
    run = json.loads(_render("sarif"))["runs"][0]
    skipped = [r for r in run["results"] if r.get("suppressions")]
    assert [s["suppressions"][0]["justification"] for s in skipped] == ["no VPC resources to reach"]


def test_json_report_round_trips_every_finding_and_skip() -> None:
    """The JSON report holds every finding, skip and validator status, with the exit code."""
    document = json.loads(_render("json"))
    assert [f["check_id"] for f in document["findings"]] == [
        "CKV_TRL_6",
        "TRL_FMT",
        "TRL_TF_CONFIG_UNREAD",
    ]
    assert document["summary"] == {
        "exit_code": 1,
        "failing": 2,
        "findings": 3,
        "skips": 1,
        "stacks": 3,
    }
    assert document["validators"][3]["status"] == "not available"


def test_junit_fails_the_stack_test_case_and_errors_unavailable_validators() -> None:
    """JUnit: a failing stack is a failed test case; a missing validator is an error."""
    root = ET.fromstring(_render("junit").split("\n", 1)[1])
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    checkov_cases = {c.get("name"): c for c in suites["checkov"].iter("testcase")}
    assert checkov_cases["prd/orders"].find("failure") is not None
    assert checkov_cases["dev/orders"].find("failure") is None
    assert suites["iam"].find("testcase/error") is not None
    assert root.get("failures") == "2" and root.get("errors") == "1"


def test_github_annotations_escape_data_and_properties() -> None:
    """Workflow commands carry file and line; '%' and ',' are escaped as the runner expects."""
    lines = _render("github").splitlines()
    assert lines[0].startswith(
        "::error file=build/modules/backup_bucket/main.tf,line=1,title=CKV_TRL_6::"
    )
    assert "100%25" in lines[1]
    assert lines[-1].startswith("::error title=trellis check::validator iam is not available")


def test_github_annotations_leave_out_notes_nobody_can_act_on() -> None:
    """A note such as TRL_TF_CONFIG_UNREAD is in the table and SARIF, never an annotation."""
    github = _render("github")
    assert "TRL_TF_CONFIG_UNREAD" not in github
    assert "::notice" not in github
    assert "TRL_TF_CONFIG_UNREAD" in _render("sarif")


@pytest.mark.parametrize("color", [False, True])
def test_table_groups_by_blueprint_and_environment(color: bool) -> None:
    """The table groups findings per blueprint x environment; colour codes only when asked."""
    text = _render("table", color=color)
    assert ("\x1b[" in text) is color
    plain = _render("table")
    assert "orders \u00d7 prd  (build/prd/orders)" in plain
    assert "shared files" in plain
    assert "CKV_AWS_117     1 resource   no VPC resources to reach" in plain
    assert plain.rstrip().endswith("exit 1")


def test_table_summary_matrix_marks_missing_stacks() -> None:
    """The summary matrix has a row per blueprint, a column per environment, '-' for none."""
    plain = _render("table")
    rows = plain.split("Summary (failing findings per stack)\n", 1)[1].splitlines()
    assert rows[0].split() == ["blueprint", "dev", "prd"]
    assert rows[1].split() == ["orders", "ok", "1"]
    assert rows[2].split() == ["payments", "-", "ok"]


def test_every_format_is_deterministic() -> None:
    """Rendering twice gives byte-identical output, with no absolute paths."""
    for fmt in ("table", "json", "sarif", "junit", "github"):
        first = _render(fmt)
        assert first == _render(fmt)
        assert "/work/" not in first and "/tmp/" not in first


def test_sarif_fingerprints_differ_per_stack() -> None:
    """The same module finding in two stacks has two fingerprints (code scanning keeps both)."""
    finding = REPORT.findings[0]
    twin = CheckReport(
        stacks=REPORT.stacks,
        validators=REPORT.validators,
        findings=(finding, replace(finding, stack="dev/orders")),
    )
    results = json.loads(render(twin, "sarif"))["runs"][0]["results"]
    prints = {r["partialFingerprints"]["trellisFinding/v1"] for r in results}
    assert len(prints) == 2
