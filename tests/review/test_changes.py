"""Counts per root stack, destructive changes first, blocking on stateful types."""

from __future__ import annotations

from pathlib import Path

from generator.review import Action, Review, StackReview, review_plans, stack_name
from tests.review.conftest import CREATE, DEV, PRD


def _stack(review: Review, name: str) -> StackReview:
    return next(s for s in review.stacks if s.name == name)


def test_counts_by_action_per_root_stack(fixture_review: Review) -> None:
    """Each plan is one root stack with its own counts, replace orders counted together."""
    counts = {s.name: {a.value: n for a, n in s.counts.items() if n} for s in fixture_review.stacks}
    assert counts == {
        "create.json": {"create": 4},
        "dev/orders": {"create": 2, "update": 5, "replace": 2, "delete": 1, "read": 1, "no-op": 1},
        "prd/orders": {"create": 1, "update": 3, "delete": 1},
    }


def test_stack_name_comes_from_env_and_blueprint_directories(tmp_path: Path) -> None:
    """`.../<env>/<blueprint>/plan.json` names the stack; any other file is its file name."""
    assert stack_name(tmp_path / "stg" / "billing" / "plan.json") == "stg/billing"
    assert stack_name(tmp_path / "stg-billing.json") == "stg-billing.json"


def test_pure_create_has_nothing_destructive_and_exits_0() -> None:
    """A plan that only creates has no destructive change and does not block."""
    review = review_plans([CREATE], run_checkov=False)
    assert review.exit_code == 0
    assert review.stacks[0].destructions == ()
    assert {c.action for c in review.stacks[0].changes} == {Action.CREATE}


def test_replace_orders_are_told_apart(fixture_review: Review) -> None:
    """`["create","delete"]` is create-before-destroy, `["delete","create"]` destroy-then-create."""
    dev = _stack(fixture_review, "dev/orders")
    orders = {d.address: d.order for d in dev.destructions}
    assert orders == {
        "aws_dynamodb_table.orders": "destroy",
        "aws_s3_bucket.backup": "destroy then create",
        "aws_sqs_queue.dlq": "create before destroy",
    }


def test_stateful_destruction_blocks_and_comes_first(fixture_review: Review) -> None:
    """Deleting a table, replacing a bucket and replacing a queue all block, first in the list."""
    dev = _stack(fixture_review, "dev/orders")
    assert [(d.address, d.blocking) for d in dev.destructions] == [
        ("aws_dynamodb_table.orders", True),
        ("aws_s3_bucket.backup", True),
        ("aws_sqs_queue.dlq", True),
    ]
    assert fixture_review.exit_code == 1


def test_allow_destroy_by_address_and_by_stack() -> None:
    """--allow-destroy takes an address, or STACK:ADDRESS for one stack only."""
    review = review_plans(
        [DEV, PRD],
        allow_destroy=[
            "aws_dynamodb_table.orders",
            "dev/orders:aws_s3_bucket.backup",
            "aws_sqs_queue.dlq",
            "aws_kms_key.typo",
        ],
        run_checkov=False,
    )
    assert review.exit_code == 0
    assert review.blocking == ()
    assert review.unused_allowances == ("aws_kms_key.typo",)
    allowed = [d for s in review.stacks for d in s.destructions if d.allowed]
    assert {d.address for d in allowed} == {
        "aws_dynamodb_table.orders",
        "aws_s3_bucket.backup",
        "aws_sqs_queue.dlq",
    }


def test_allowance_for_another_stack_does_not_apply() -> None:
    """prd/orders:ADDRESS does not allow the same address in dev/orders."""
    review = review_plans(
        [DEV],
        allow_destroy=["prd/orders:aws_dynamodb_table.orders", "aws_s3_bucket.backup"],
        run_checkov=False,
    )
    assert [d.address for d in review.blocking] == [
        "aws_dynamodb_table.orders",
        "aws_sqs_queue.dlq",
    ]


def test_module_nested_two_levels_keeps_its_full_address(fixture_review: Review) -> None:
    """A resource in module.a.module.b is reported by its full address."""
    dev = _stack(fixture_review, "dev/orders")
    assert "module.pipeline.module.queue.aws_sqs_queue.main" in {c.address for c in dev.changes}


def test_replace_paths_and_reason_are_kept(fixture_review: Review) -> None:
    """A replace says which attribute forces it and Terraform's reason."""
    dev = _stack(fixture_review, "dev/orders")
    bucket = next(c for c in dev.changes if c.address == "aws_s3_bucket.backup")
    assert bucket.replace_paths == ("bucket",)
    assert bucket.reason == "replace_because_cannot_update"
