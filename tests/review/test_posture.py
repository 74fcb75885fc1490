"""Security posture: each weakening rule fires on its change and only on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.review import Review, review_plans
from tests.review.planbuilder import PathT, Res, write_plan


def test_prd_fixture_posture_changes(fixture_review: Review) -> None:
    """PITR off, protection off, versioning suspended, public access loosened, SSE deleted."""
    found = {
        (p.address, p.rule, p.attribute, p.before, p.after)
        for s in fixture_review.stacks
        if s.name == "prd/orders"
        for p in s.posture
    }
    assert found == {
        (
            "aws_dynamodb_table.orders",
            "pitr-off",
            "point_in_time_recovery[0].enabled",
            "true",
            "false",
        ),
        (
            "aws_dynamodb_table.orders",
            "deletion-protection-off",
            "deletion_protection_enabled",
            "true",
            "false",
        ),
        (
            "aws_s3_bucket_versioning.backup",
            "versioning-suspended",
            "versioning_configuration[0].status",
            '"Enabled"',
            '"Suspended"',
        ),
        (
            "aws_s3_bucket_public_access_block.backup",
            "public-access-loosened",
            "block_public_policy",
            "true",
            "false",
        ),
        (
            "aws_s3_bucket_public_access_block.backup",
            "public-access-loosened",
            "restrict_public_buckets",
            "true",
            "false",
        ),
        (
            "aws_s3_bucket_server_side_encryption_configuration.backup",
            "encryption-removed",
            "(resource)",
            "exists",
            "destroyed",
        ),
    }


def test_log_retention_shortened_in_dev(fixture_review: Review) -> None:
    """90 → 7 days of log retention is reported."""
    rules = {
        (p.address, p.rule)
        for s in fixture_review.stacks
        for p in s.posture
        if s.name == "dev/orders"
    }
    assert rules == {("aws_cloudwatch_log_group.worker", "log-retention-shortened")}


def _rules(
    tmp_path: Path,
    type_: str,
    before: dict[str, Any],
    after: dict[str, Any],
    unknown: list[PathT] | None = None,
) -> set[str]:
    plan = write_plan(
        tmp_path / "p.json",
        [
            Res(type_, "x", ["update"], before, after, unknown=unknown or []),
        ],
    )
    return {p.rule for p in review_plans([plan], run_checkov=False).stacks[0].posture}


CASES = [
    (
        "never-expiring logs now expire",
        "aws_cloudwatch_log_group",
        {"retention_in_days": 0},
        {"retention_in_days": 365},
        {"log-retention-shortened"},
    ),
    (
        "longer retention is fine",
        "aws_cloudwatch_log_group",
        {"retention_in_days": 30},
        {"retention_in_days": 0},
        set(),
    ),
    (
        "SQS from SSE-SQS to a KMS key stays encrypted",
        "aws_sqs_queue",
        {"sqs_managed_sse_enabled": True, "kms_master_key_id": None},
        {"sqs_managed_sse_enabled": False, "kms_master_key_id": "alias/q"},
        set(),
    ),
    (
        "SQS without any encryption",
        "aws_sqs_queue",
        {"sqs_managed_sse_enabled": True, "kms_master_key_id": None},
        {"sqs_managed_sse_enabled": False, "kms_master_key_id": None},
        {"encryption-removed"},
    ),
    (
        "SecureString to String",
        "aws_ssm_parameter",
        {"type": "SecureString"},
        {"type": "String"},
        {"encryption-removed"},
    ),
    (
        "bucket force_destroy on",
        "aws_s3_bucket",
        {"force_destroy": False},
        {"force_destroy": True},
        {"deletion-protection-off"},
    ),
    (
        "KMS rotation off",
        "aws_kms_key",
        {"enable_key_rotation": True},
        {"enable_key_rotation": False},
        {"key-rotation-off"},
    ),
    (
        "table SSE off",
        "aws_dynamodb_table",
        {"server_side_encryption": [{"enabled": True, "kms_key_arn": "k"}]},
        {"server_side_encryption": []},
        {"encryption-removed"},
    ),
    (
        "RDS deletion protection off",
        "aws_db_instance",
        {"deletion_protection": True},
        {"deletion_protection": False},
        {"deletion-protection-off"},
    ),
    (
        "KMS deletion window cut from the default 30 days",
        "aws_kms_key",
        {"deletion_window_in_days": None},
        {"deletion_window_in_days": 7},
        {"kms-deletion-window-shortened"},
    ),
    (
        "KMS deletion window lengthened is fine",
        "aws_kms_key",
        {"deletion_window_in_days": 7},
        {"deletion_window_in_days": 30},
        set(),
    ),
    (
        "RDS backups turned off (0 is none, not forever)",
        "aws_rds_cluster",
        {"backup_retention_period": 7},
        {"backup_retention_period": 0},
        {"backup-retention-shortened"},
    ),
    (
        "Redshift snapshots kept for less",
        "aws_redshift_cluster",
        {"automated_snapshot_retention_period": 35},
        {"automated_snapshot_retention_period": 1},
        {"backup-retention-shortened"},
    ),
    (
        "AWS Backup rule deletes recovery points sooner",
        "aws_backup_plan",
        {"rule": [{"rule_name": "daily", "lifecycle": [{"delete_after": 35}]}]},
        {"rule": [{"rule_name": "daily", "lifecycle": [{"delete_after": 7}]}]},
        {"backup-retention-shortened"},
    ),
    (
        "AWS Backup rules reordered are compared by name only",
        "aws_backup_plan",
        {"rule": [{"rule_name": "weekly", "lifecycle": [{"delete_after": 90}]}]},
        {"rule": [{"rule_name": "daily", "lifecycle": [{"delete_after": 7}]}]},
        set(),
    ),
    (
        "Kinesis stream retention from 7 days to the default day",
        "aws_kinesis_stream",
        {"retention_period": 168},
        {"retention_period": 24},
        {"data-retention-shortened"},
    ),
]


@pytest.mark.parametrize(
    ("why", "type_", "before", "after", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_posture_rule(
    tmp_path: Path,
    why: str,
    type_: str,
    before: dict[str, Any],
    after: dict[str, Any],
    expected: set[str],
) -> None:
    """Table-driven: one attribute change, the exact rules it breaks."""
    assert _rules(tmp_path, type_, before, after) == expected, why


def test_unknown_after_value_is_not_called_weaker(tmp_path: Path) -> None:
    """A retention only known after apply is not reported as shortened."""
    assert (
        _rules(
            tmp_path,
            "aws_cloudwatch_log_group",
            {"retention_in_days": 30},
            {},
            unknown=[("retention_in_days",)],
        )
        == set()
    )
