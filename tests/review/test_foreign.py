"""Reviews of plans from repositories trellis did not write match a reviewer's expectations."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.review import Review, StackReview, render_markdown, review_plans
from tests.review.foreign import EDITED, EXPECTATIONS, OFFLINE, PLANS, plan_path, write_edited


@pytest.fixture(scope="module")
def foreign_review() -> Review:
    """Every foreign plan, reviewed together without checkov."""
    return review_plans([plan_path(name) for name in sorted(EXPECTATIONS)], run_checkov=False)


def _stack(review: Review, name: str) -> StackReview:
    return next(s for s in review.stacks if s.name == f"foreign_plans/{name}")


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_blocking_names_what_is_lost(foreign_review: Review, name: str) -> None:
    """Exactly the expected destructions block, each reason naming what is lost."""
    stack, expected = _stack(foreign_review, name), EXPECTATIONS[name]
    blocking = {d.address: d for d in stack.destructions if d.blocking}
    assert set(blocking) == set(expected.blocking)
    for address, phrase in expected.blocking.items():
        assert phrase in blocking[address].lost, address


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_access_is_judged_by_meaning(foreign_review: Review, name: str) -> None:
    """Widening, pending and narrowing IAM changes are exactly the expected ones."""
    stack, expected = _stack(foreign_review, name), EXPECTATIONS[name]
    assert {(i.address, i.document) for i in stack.iam if i.widens} == expected.widening
    assert {(i.address, i.document) for i in stack.iam if i.pending} == expected.pending
    narrowing = {(i.address, i.document) for i in stack.iam if not i.widens and not i.pending}
    assert narrowing == expected.narrowing


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_hints_and_posture(foreign_review: Review, name: str) -> None:
    """The reviewer's hints and the weakened settings are exactly the expected ones."""
    stack, expected = _stack(foreign_review, name), EXPECTATIONS[name]
    assert {(h.address, h.rule) for h in stack.hints} == expected.hints
    assert {(p.address, p.rule) for p in stack.posture} == expected.posture
    if expected.moved:
        assert expected.moved in {h.suggestion for h in stack.hints}


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_counts_match_terraforms_summary(foreign_review: Review, name: str) -> None:
    """add/change/destroy are Terraform's own; data sources read are counted apart."""
    stack = _stack(foreign_review, name)
    assert stack.summary == EXPECTATIONS[name].summary
    text = render_markdown(foreign_review, max_chars=0)
    n = stack.summary
    assert f"{n['add']} to add, {n['change']} to change, {n['destroy']} to destroy" in text


def test_swapped_source_arn_is_not_widening(foreign_review: Review) -> None:
    """A bucket policy whose aws:SourceArn moves to another trail is the same kind and scope."""
    (change,) = [i for i in _stack(foreign_review, "s3-renamed").iam if i.kind == "resource"]
    (condition,) = change.conditions
    assert condition.swapped
    assert not change.widens


def test_policy_waiting_for_new_arns_is_pending(foreign_review: Review) -> None:
    """A queue policy whose queue and topic ARNs are known after apply is pending, not wider."""
    (change,) = _stack(foreign_review, "sqs-fifo").iam
    assert change.pending
    assert change.source == "module.orders.data.aws_iam_policy_document.this"
    assert [c.pending for c in change.conditions] == [True]


def test_resource_policy_following_its_queue_is_not_widening(tmp_path: Path) -> None:
    """A known queue policy moved from the old queue's ARN to the FIFO queue's is a swap."""
    from tests.review.foreign import _topic_policy
    from tests.review.planbuilder import Res, write_plan

    before = {"policy": _topic_policy("ex-sqs", "ex-sqs-events"), "queue_url": "u"}
    after = {"policy": _topic_policy("ex-sqs.fifo", "ex-sqs-events.fifo"), "queue_url": "u"}
    plan = write_plan(
        tmp_path / "plan.json", [Res("aws_sqs_queue_policy", "this", ["update"], before, after)]
    )
    (change,) = review_plans([plan], run_checkov=False).stacks[0].iam
    assert [w.kind for w in change.resources_widened] == ["swapped"]
    assert all(c.swapped for c in change.conditions)
    assert not change.widens


def test_cross_account_acl_grant_is_access(foreign_review: Review) -> None:
    """A bucket ACL grant to another account's canonical user is reported as a new principal."""
    (acl,) = [i for i in _stack(foreign_review, "s3-renamed").iam if i.kind == "acl"]
    assert [(p.principal, p.change) for p in acl.principals] == [
        (
            "CanonicalUser:79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be READ",
            "added",
        )
    ]


def test_edited_plans_are_current(tmp_path: Path) -> None:
    """`python -m tests.review.foreign --edited-only` would not change a committed plan."""
    write_edited(tmp_path)
    for name in EDITED:
        assert plan_path(name, tmp_path).read_bytes() == plan_path(name).read_bytes(), name


def test_offline_plans_come_from_real_terraform() -> None:
    """The offline foreign plans are Terraform's own output (its version, its layout)."""
    import json

    for name in OFFLINE:
        document = json.loads((PLANS / name / "plan.json").read_text(encoding="utf-8"))
        assert document["terraform_version"].startswith("1.")
        assert "relevant_attributes" in document
        assert document["configuration"]["root_module"]
