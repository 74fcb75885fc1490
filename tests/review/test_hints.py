"""Hints: missing moved blocks are paired conservatively; protections on destroyed things."""

from __future__ import annotations

from pathlib import Path

from generator.review import Hint, review_plans
from generator.review.hints import split_resource_address
from tests.review.planbuilder import Res, write_plan


def _hints(tmp_path: Path, resources: list[Res]) -> list[Hint]:
    plan = write_plan(tmp_path / "plan.json", resources)
    return list(review_plans([plan], run_checkov=False).stacks[0].hints)


def test_renamed_resource_gets_a_resource_moved_block(tmp_path: Path) -> None:
    """A delete and a create differing only in the name suggest moving that resource."""
    queue = {"name": "ex-orders", "delay_seconds": 0}
    hints = _hints(
        tmp_path,
        [
            Res(
                "aws_sqs_queue",
                "orders",
                ["delete"],
                queue,
                None,
                module="module.q",
                reason="delete_because_no_resource_config",
                configured=False,
            ),
            Res("aws_sqs_queue", "main", ["create"], None, queue, module="module.q"),
        ],
    )
    moved = [h for h in hints if h.rule == "missing-moved"]
    assert [h.suggestion for h in moved] == [
        "moved {\n  from = module.q.aws_sqs_queue.orders\n  to   = module.q.aws_sqs_queue.main\n}"
    ]


def test_no_moved_hint_across_types_or_when_both_parts_differ(tmp_path: Path) -> None:
    """Another type, or a different module and name at once, is not a likely rename."""
    hints = _hints(
        tmp_path,
        [
            Res("aws_sqs_queue", "a", ["delete"], {"name": "a"}, None, configured=False),
            Res("aws_sns_topic", "a", ["create"], None, {"name": "a"}),
            Res("aws_sqs_queue", "b", ["create"], None, {"name": "a"}, module="module.other"),
        ],
    )
    assert [h for h in hints if h.rule == "missing-moved"] == []


def test_the_most_similar_create_is_the_pair(tmp_path: Path) -> None:
    """With two candidate creates, the one with more equal values is suggested."""
    old = {"name": "ex-logs", "retention_in_days": 30, "kms_key_id": "k"}
    hints = _hints(
        tmp_path,
        [
            Res("aws_cloudwatch_log_group", "logs", ["delete"], old, None, configured=False),
            Res("aws_cloudwatch_log_group", "audit", ["create"], None, {"name": "other"}),
            Res("aws_cloudwatch_log_group", "app", ["create"], None, old),
        ],
    )
    (moved,) = [h for h in hints if h.rule == "missing-moved"]
    assert "to   = aws_cloudwatch_log_group.app" in moved.suggestion


def test_instance_keys_are_split_from_addresses() -> None:
    """Module path, type, name and key come apart even with dots inside the key."""
    assert split_resource_address('module.a.module.b.aws_s3_bucket.this["x.y"]') == (
        "module.a.module.b",
        "aws_s3_bucket",
        "this",
        '["x.y"]',
    )
    assert split_resource_address("aws_s3_bucket.this") == ("", "aws_s3_bucket", "this", "")
