"""Security posture rules: attribute changes that make a resource less protected.

Each rule is data, checkov-style: which resource types, which attribute, and which kind of
change weakens it. Rules look at updates and replaces (both sides exist), except
``deleted`` rules, which fire when the resource that provided the protection is destroyed
(deleting ``aws_s3_bucket_public_access_block`` lifts the block). An unknown after-value is
never reported: the review cannot say it is weaker, and the details list it as unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.review.model import Action, PostureChange
from generator.review.values import format_path, has_true, mask_at, show, value_at


@dataclass(frozen=True)
class Rule:
    """One weakening: ``test`` is off, on, removed, changed_from, shortened, reduced or deleted.

    ``values`` are the protective values for ``changed_from`` (``Enabled``, ``aws:kms``).
    ``shortened`` reads 0 as "forever" (log retention); ``reduced`` reads 0 as "none"
    (backup retention) and takes ``default`` for a value left unset before.
    ``unless`` names an attribute whose presence after the change makes it harmless (an
    SQS queue leaving SSE-SQS for a KMS key is still encrypted).
    """

    rule: str
    title: str
    types: frozenset[str]
    path: tuple[str | int, ...]
    test: str
    values: tuple[str, ...] = ()
    unless: tuple[str | int, ...] | None = None
    default: int | None = None
    same: tuple[str | int, ...] | None = None
    """Compare only when the value here is equal on both sides (a set's element by name)."""


def _rule(
    rule: str,
    title: str,
    types: str,
    path: str,
    test: str,
    values: tuple[str, ...] = (),
    unless: str | None = None,
    default: int | None = None,
    same: str | None = None,
) -> Rule:
    def parse(text: str) -> tuple[str | int, ...]:
        return tuple(int(p) if p.isdigit() else p for p in text.split(".")) if text else ()

    return Rule(
        rule,
        title,
        frozenset(types.split()),
        parse(path),
        test,
        values,
        parse(unless) if unless else None,
        default,
        parse(same) if same else None,
    )


ENCRYPTION = "encryption removed"
PUBLIC = "public access block loosened"
DELETION = "deletion protection off"
RULES: tuple[Rule, ...] = (
    _rule(
        "encryption-removed",
        ENCRYPTION,
        "aws_dynamodb_table",
        "server_side_encryption.0.enabled",
        "off",
    ),
    _rule(
        "encryption-removed",
        ENCRYPTION,
        "aws_dynamodb_table",
        "server_side_encryption.0.kms_key_arn",
        "removed",
    ),
    _rule(
        "encryption-removed",
        ENCRYPTION,
        "aws_sqs_queue",
        "sqs_managed_sse_enabled",
        "off",
        unless="kms_master_key_id",
    ),
    _rule(
        "encryption-removed",
        ENCRYPTION,
        "aws_sqs_queue aws_sns_topic",
        "kms_master_key_id",
        "removed",
        unless="sqs_managed_sse_enabled",
    ),
    _rule(
        "encryption-removed",
        ENCRYPTION,
        "aws_cloudwatch_log_group aws_secretsmanager_secret",
        "kms_key_id",
        "removed",
    ),
    _rule("encryption-removed", ENCRYPTION, "aws_lambda_function", "kms_key_arn", "removed"),
    _rule(
        "encryption-removed",
        ENCRYPTION,
        "aws_db_instance aws_rds_cluster",
        "storage_encrypted",
        "off",
    ),
    _rule(
        "encryption-removed", ENCRYPTION, "aws_ebs_volume aws_efs_file_system", "encrypted", "off"
    ),
    _rule(
        "encryption-removed",
        ENCRYPTION,
        "aws_kinesis_stream",
        "encryption_type",
        "changed_from",
        ("KMS",),
    ),
    _rule(
        "encryption-removed",
        ENCRYPTION,
        "aws_ssm_parameter",
        "type",
        "changed_from",
        ("SecureString",),
    ),
    _rule(
        "encryption-removed",
        ENCRYPTION,
        "aws_s3_bucket_server_side_encryption_configuration",
        "rule.0.apply_server_side_encryption_by_default.0.sse_algorithm",
        "changed_from",
        ("aws:kms", "aws:kms:dsse"),
    ),
    _rule(
        "encryption-removed",
        ENCRYPTION,
        "aws_s3_bucket_server_side_encryption_configuration",
        "",
        "deleted",
    ),
    _rule("key-rotation-off", "KMS key rotation off", "aws_kms_key", "enable_key_rotation", "off"),
    _rule(
        "kms-deletion-window-shortened",
        "KMS deletion window shortened",
        "aws_kms_key aws_kms_external_key aws_kms_replica_key aws_kms_replica_external_key",
        "deletion_window_in_days",
        "reduced",
        default=30,
    ),
    _rule(
        "backup-retention-shortened",
        "backup retention shortened",
        "aws_db_instance aws_rds_cluster aws_docdb_cluster aws_neptune_cluster",
        "backup_retention_period",
        "reduced",
    ),
    _rule(
        "backup-retention-shortened",
        "backup retention shortened",
        "aws_redshift_cluster",
        "automated_snapshot_retention_period",
        "reduced",
    ),
    _rule(
        "backup-retention-shortened",
        "backup retention shortened",
        "aws_elasticache_replication_group aws_elasticache_cluster aws_memorydb_cluster",
        "snapshot_retention_limit",
        "reduced",
    ),
    *(
        _rule(
            "backup-retention-shortened",
            "backup retention shortened",
            "aws_backup_plan",
            f"rule.{index}.lifecycle.0.delete_after",
            "reduced",
            same=f"rule.{index}.rule_name",
        )
        for index in range(8)
    ),
    _rule(
        "data-retention-shortened",
        "message retention shortened",
        "aws_sqs_queue",
        "message_retention_seconds",
        "reduced",
        default=345600,
    ),
    _rule(
        "data-retention-shortened",
        "stream retention shortened",
        "aws_kinesis_stream",
        "retention_period",
        "reduced",
        default=24,
    ),
    _rule(
        "versioning-suspended",
        "versioning suspended",
        "aws_s3_bucket_versioning",
        "versioning_configuration.0.status",
        "changed_from",
        ("Enabled",),
    ),
    _rule(
        "versioning-suspended", "versioning suspended", "aws_s3_bucket_versioning", "", "deleted"
    ),
    _rule(
        "versioning-suspended",
        "versioning suspended",
        "aws_s3_bucket",
        "versioning.0.enabled",
        "off",
    ),
    _rule(
        "pitr-off",
        "point-in-time recovery off",
        "aws_dynamodb_table",
        "point_in_time_recovery.0.enabled",
        "off",
    ),
    *(
        _rule(
            "public-access-loosened",
            PUBLIC,
            "aws_s3_bucket_public_access_block aws_s3_account_public_access_block",
            name,
            "off",
        )
        for name in (
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets",
        )
    ),
    _rule(
        "public-access-loosened",
        PUBLIC,
        "aws_s3_bucket_public_access_block aws_s3_account_public_access_block",
        "",
        "deleted",
    ),
    _rule(
        "log-retention-shortened",
        "log retention shortened",
        "aws_cloudwatch_log_group",
        "retention_in_days",
        "shortened",
    ),
    _rule(
        "deletion-protection-off",
        DELETION,
        "aws_dynamodb_table aws_cloudwatch_log_group",
        "deletion_protection_enabled",
        "off",
    ),
    _rule(
        "deletion-protection-off",
        DELETION,
        "aws_db_instance aws_rds_cluster",
        "deletion_protection",
        "off",
    ),
    _rule(
        "deletion-protection-off", DELETION, "aws_lb aws_alb", "enable_deletion_protection", "off"
    ),
    _rule(
        "deletion-protection-off",
        DELETION,
        "aws_cognito_user_pool",
        "deletion_protection",
        "changed_from",
        ("ACTIVE",),
    ),
    _rule("deletion-protection-off", DELETION, "aws_s3_bucket", "force_destroy", "on"),
    _rule("deletion-protection-off", DELETION, "aws_ecr_repository", "force_delete", "on"),
    _rule("deletion-protection-off", DELETION, "aws_db_instance", "skip_final_snapshot", "on"),
)

RULES_BY_TYPE: dict[str, tuple[Rule, ...]] = {}
for _r in RULES:
    for _t in _r.types:
        RULES_BY_TYPE[_t] = (*RULES_BY_TYPE.get(_t, ()), _r)


def _weakened(rule: Rule, before: Any, after: Any) -> bool:
    if rule.test == "off":
        return before is True and after is not True
    if rule.test == "on":
        return before is not True and after is True
    if rule.test == "removed":
        return bool(before) and not after
    if rule.test == "changed_from":
        return before in rule.values and after not in rule.values
    if rule.test == "shortened":
        if not isinstance(before, int) or not isinstance(after, int):
            return False
        return (before == 0 and after > 0) or (0 < after < before)
    if rule.test == "reduced":
        before = rule.default if before is None else before
        if not isinstance(before, int) or not isinstance(after, int):
            return False
        return after < before
    return False


def posture_changes(stack: str, rc: dict[str, Any], action: Action) -> list[PostureChange]:
    """The rules one resource change breaks (empty for most changes)."""
    rules = RULES_BY_TYPE.get(str(rc.get("type")))
    if not rules:
        return []
    change = rc.get("change") or {}
    before, after = change.get("before"), change.get("after")
    found = []
    for rule in rules:
        if rule.test == "deleted":
            if action is Action.DELETE:
                found.append(
                    PostureChange(
                        stack,
                        str(rc.get("address")),
                        str(rc.get("type")),
                        rule.rule,
                        rule.title,
                        "(resource)",
                        "exists",
                        "destroyed",
                    )
                )
            continue
        if not isinstance(before, dict) or not isinstance(after, dict):
            continue
        unknown = mask_at(change.get("after_unknown"), rule.path)
        if has_true(unknown):
            continue
        if rule.same is not None and value_at(before, rule.same) != value_at(after, rule.same):
            continue
        old, new = value_at(before, rule.path), value_at(after, rule.path)
        if not _weakened(rule, old, new):
            continue
        if rule.unless is not None and value_at(after, rule.unless):
            continue
        found.append(
            PostureChange(
                stack,
                str(rc.get("address")),
                str(rc.get("type")),
                rule.rule,
                rule.title,
                format_path(rule.path),
                show(old, sensitive=mask_at(change.get("before_sensitive"), rule.path)),
                show(new, sensitive=mask_at(change.get("after_sensitive"), rule.path)),
            )
        )
    return found
