"""`trellis check --merge`: shard reports back into the report one full check writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.check.outcome import AppliedSkip, CheckReport, Status, ValidatorOutcome
from generator.check.report import render
from generator.check.report.merge import merge_reports
from generator.cli.main import cli
from generator.policy.findings import Finding, Severity

STACKS = ("dev/orders", "dev-eu/orders", "prd/orders", "prd/payments")


def _finding(check: str, validator: str, stack: str | None, line: int | None = 3) -> Finding:
    file = f"{stack}/main.tf" if stack else "modules/queue/main.tf"
    return Finding(
        check, Severity.ERROR, f"{check} failed", validator, file=file, line=line,
        resource="aws_sqs_queue.main", stack=stack, fix="https://example.com/fix",
    )  # fmt: skip


FULL = CheckReport(
    stacks=STACKS,
    validators=(
        ValidatorOutcome("hcl_parse", "HCL parses", Status.FAILED, findings=2),
        ValidatorOutcome("checkov", "checkov", Status.FAILED, findings=3),
        ValidatorOutcome("iam", "IAM lint", Status.PASSED),
        ValidatorOutcome("workflows", "GitHub Actions workflows", Status.FAILED, findings=1),
    ),
    findings=tuple(
        sorted(
            [
                _finding("TRL_HCL_SYNTAX", "hcl_parse", None, None),
                Finding("TRL_TF_CONFIG_UNREAD", Severity.NOTE, "unread", "hcl_parse", "modules/q"),
                _finding("CKV_AWS_27", "checkov", "dev/orders"),
                _finding("CKV_AWS_27", "checkov", "prd/payments"),
                _finding("CKV_AWS_27", "checkov", "dev-eu/orders", 9),
                _finding("TRL_ACTIONLINT", "workflows", None),
            ],
            key=lambda f: (f.stack or "", f.file or "", f.line or 0, f.check_id),
        )
    ),
    skips=(
        AppliedSkip("CKV_AWS_117", "aws_lambda_function.this", "dev/orders/main.tf", 4,
                    "dev/orders", "no VPC"),
        AppliedSkip("CKV_AWS_117", "aws_lambda_function.this", "prd/orders/main.tf", 4,
                    "prd/orders", "no VPC"),
    ),
)  # fmt: skip


def _shard(stacks: set[str], *, first: bool) -> CheckReport:
    """FULL as a shard over ``stacks`` would report it (shared findings in shard 1 only)."""
    findings = [f for f in FULL.findings if (f.stack in stacks) or (f.stack is None and first)]
    outcomes = []
    for outcome in FULL.validators:
        own = [f for f in findings if f.validator == outcome.name]
        failing = any(f.severity is not Severity.NOTE for f in own)
        status = Status.FAILED if failing else Status.PASSED
        outcomes.append(ValidatorOutcome(outcome.name, outcome.description, status, len(own)))
    return CheckReport(
        stacks=tuple(s for s in STACKS if s in stacks),
        validators=tuple(outcomes),
        findings=tuple(findings),
        skips=tuple(s for s in FULL.skips if s.stack in stacks),
    )


SHARDS = (
    _shard({"prd/payments"}, first=True),
    _shard({"dev/orders", "prd/orders"}, first=False),
    _shard({"dev-eu/orders"}, first=False),
)


def test_merging_shard_reports_gives_the_full_report() -> None:
    """Union of stacks (in discovery order: dev before dev-eu), findings, skips; outcomes
    recomputed; input order does not matter."""
    assert merge_reports(SHARDS) == FULL
    assert merge_reports(tuple(reversed(SHARDS))) == FULL
    assert merge_reports([FULL]) == FULL


@pytest.mark.parametrize("fmt", ["sarif", "json", "junit"])
def test_merged_file_is_byte_identical_to_the_full_checks_file(tmp_path: Path, fmt: str) -> None:
    """`trellis check --merge` over the shards' files writes the unsharded check's file,
    and exits as the full check would (1: failing findings)."""
    files = []
    for index, shard in enumerate(SHARDS, start=1):
        path = tmp_path / f"shard-{index}.{fmt}"
        path.write_text(render(shard, fmt), encoding="utf-8")
        files.append(str(path))
    merged = tmp_path / f"merged.{fmt}"
    result = CliRunner().invoke(cli, ["check", "--merge", *files, "--output", str(merged)])
    assert result.exit_code == FULL.exit_code == 1, result.output
    assert merged.read_text(encoding="utf-8") == render(FULL, fmt)


def test_sarif_and_json_merge_into_any_format(tmp_path: Path) -> None:
    """Shard SARIF merged with --format table prints the full check's table."""
    files = []
    for index, shard in enumerate(SHARDS, start=1):
        path = tmp_path / f"shard-{index}.sarif"
        path.write_text(render(shard, "sarif"), encoding="utf-8")
        files.append(str(path))
    result = CliRunner().invoke(cli, ["check", "--merge", *files, "--format", "table"])
    assert result.stdout == render(FULL, "table")


def _write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_merge_refuses_mixed_formats_junit_to_sarif_and_foreign_files(tmp_path: Path) -> None:
    """Bad merge input is a user error naming the file or option and the fix; exit 2."""
    sarif = _write(tmp_path / "a.sarif", render(SHARDS[0], "sarif"))
    junit = _write(tmp_path / "b.xml", render(SHARDS[1], "junit"))
    foreign = _write(
        tmp_path / "c.sarif", json.dumps({"version": "2.1.0", "runs": [{"results": []}]})
    )
    garbage = _write(tmp_path / "d.txt", "not a report")
    cases = [
        ([sarif, junit], "different formats"),
        ([junit, "--format", "sarif"], "merge into junit, not sarif"),
        ([foreign], "lacks the trellis properties"),
        ([garbage], "neither XML nor JSON"),
        ([str(tmp_path / "missing.sarif")], "cannot read this report"),
        ([], "no reports to merge"),
    ]
    for args, said in cases:
        result = CliRunner().invoke(cli, ["check", "--merge", *args])
        assert result.exit_code == 2, (args, result.output)
        assert said in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.output


def test_junit_shards_that_disagree_on_a_stack_are_refused(tmp_path: Path) -> None:
    """The same stack reported differently by two inputs means they are not shards of one check."""
    clean = _shard({"dev/orders"}, first=False)
    dirty = _shard({"dev/orders", "prd/payments"}, first=True)
    clean_for_dev = CheckReport(clean.stacks, clean.validators, (), ())
    a = _write(tmp_path / "a.xml", render(clean_for_dev, "junit"))
    b = _write(tmp_path / "b.xml", render(dirty, "junit"))
    result = CliRunner().invoke(cli, ["check", "--merge", a, b])
    assert result.exit_code == 2
    assert "dev/orders differs" in result.stderr


def test_merge_takes_no_shard_or_report_option(tmp_path: Path) -> None:
    """--merge with --shard (or --report) is refused rather than silently ignored."""
    report = _write(tmp_path / "a.sarif", render(SHARDS[0], "sarif"))
    for extra in (["--shard", "1/2"], ["--report", "json=x.json"]):
        result = CliRunner().invoke(cli, ["check", "--merge", report, *extra])
        assert result.exit_code == 2
        assert "takes no --shard or --report" in result.stderr


def test_a_validator_not_available_in_one_shard_is_not_available_merged() -> None:
    """A check that did not run in one shard did not run: the merge says so and exits 1."""
    missing = ValidatorOutcome("iam", "IAM lint", Status.NOT_AVAILABLE, detail="not installed")
    broken = CheckReport(
        SHARDS[1].stacks,
        tuple(missing if v.name == "iam" else v for v in SHARDS[1].validators),
        SHARDS[1].findings,
        SHARDS[1].skips,
    )
    merged = merge_reports([SHARDS[0], broken, SHARDS[2]])
    assert {v.name: v for v in merged.validators}["iam"] == missing
    assert merged.exit_code == 1
