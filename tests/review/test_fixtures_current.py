"""The committed fixture plans are what the fixture descriptions produce."""

from __future__ import annotations

from pathlib import Path

from tests.review.conftest import PLANS
from tests.review.fixtures import write_fixtures


def test_committed_fixtures_match_their_descriptions(tmp_path: Path) -> None:
    """`python -m tests.review.fixtures` would not change any committed plan."""
    write_fixtures(tmp_path)
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(PLANS) for p in PLANS.rglob("*") if p.is_file())
    assert written == committed
    for relative in written:
        assert (tmp_path / relative).read_bytes() == (PLANS / relative).read_bytes(), relative


def test_fixtures_follow_terraform_layout() -> None:
    """Every fixture plan has Terraform's top-level keys in Terraform's order."""
    import json

    for name in ("dev/orders/plan.json", "prd/orders/plan.json", "create.json"):
        document = json.loads((PLANS / name).read_text(encoding="utf-8"))
        assert list(document)[:6] == [
            "format_version",
            "terraform_version",
            "variables",
            "planned_values",
            "resource_changes",
            "prior_state",
        ]
        assert document["format_version"] == "1.2"
        for change in document["resource_changes"]:
            assert set(change["change"]) >= {
                "actions",
                "before",
                "after",
                "after_unknown",
                "before_sensitive",
                "after_sensitive",
            }
