"""The terraform_validate check: findings per stack, cached by content hash."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.check import terraform_validate
from generator.check.context import CheckContext, StackRef
from generator.policy.findings import Severity
from tests.offline_provider.conftest import ROOT_STACKS, write_tree


def _context(tree: Path, cache: Path) -> CheckContext:
    stacks = tuple(
        StackRef(env=s.split("/")[0], name=s.split("/")[1], path=tree / s) for s in ROOT_STACKS
    )
    return CheckContext(
        repo_root=tree.parent, build_dir=tree, stacks=stacks, policy_dirs=(), cache_dir=cache
    )


def test_clean_tree_has_no_findings_and_second_run_uses_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A valid tree yields no findings; unchanged stacks are not validated again."""
    tree = write_tree(tmp_path / "build")
    context = _context(tree, tmp_path / "cache")
    assert terraform_validate.run(context) == []

    def no_session(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a cached run must not start Terraform")

    monkeypatch.setattr(terraform_validate, "OfflineSession", no_session)
    assert terraform_validate.run(context) == []


def test_changed_module_invalidates_every_stack_using_it(tmp_path: Path) -> None:
    """A defect in a shared module is reported for each stack that calls it."""
    tree = write_tree(tmp_path / "build")
    context = _context(tree, tmp_path / "cache")
    assert terraform_validate.run(context) == []
    queue = tree / "modules/queue/main.tf"
    queue.write_text(
        queue.read_text().replace("sqs_managed_sse_enabled   = true", "sqs_managed_sse = true")
    )
    findings = terraform_validate.run(context)
    assert {(f.stack, f.file, f.line, f.severity) for f in findings} == {
        ("dev/orders", "modules/queue/main.tf", 4, Severity.ERROR),
        ("prd/orders", "modules/queue/main.tf", 4, Severity.ERROR),
    }
    assert all(f.message.startswith("Unsupported argument") for f in findings)
    assert all(f.fix for f in findings)
