"""CKV_TRL_7: DynamoDB tables have point-in-time recovery, and deletion protection where
the environment requires approval."""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


def _first(conf: dict[str, list[Any]], key: str) -> Any:
    value = conf.get(key)
    return value[0] if isinstance(value, list) and value else value


class DynamoDBRecoveryAndDeletionProtection(BaseResourceCheck):
    """PITR always; deletion protection unless the table says its environment needs no approval.

    How the check knows the environment's approval setting: the table carries its own tag
    ``approval`` (``none`` or ``required``), which trellis renders from
    ``environments/<env>.yaml`` ``approval``. The tag is on the resource itself, not only in
    the provider's ``default_tags``, because checkov does not see ``default_tags``. A table
    without the tag is treated as requiring approval (fail safe).
    """

    def __init__(self) -> None:
        super().__init__(
            name="Ensure a DynamoDB table has point-in-time recovery, and deletion protection "
            "where the environment requires approval",
            id="CKV_TRL_7",
            categories=[CheckCategories.BACKUP_AND_RECOVERY],
            supported_resources=["aws_dynamodb_table"],
            guideline="Set point_in_time_recovery { enabled = true }; set "
            'deletion_protection_enabled = true unless tags.approval = "none".',
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        self.evaluated_keys = [
            "point_in_time_recovery/[0]/enabled",
            "deletion_protection_enabled",
            "tags/[0]/approval",
        ]
        recovery = _first(conf, "point_in_time_recovery")
        enabled = _first(recovery, "enabled") if isinstance(recovery, dict) else None
        if enabled is not True:
            return CheckResult.FAILED
        tags = _first(conf, "tags")
        approval = tags.get("approval") if isinstance(tags, dict) else None
        if approval == "none":
            return CheckResult.PASSED
        return (
            CheckResult.PASSED
            if _first(conf, "deletion_protection_enabled") is True
            else CheckResult.FAILED
        )


check = DynamoDBRecoveryAndDeletionProtection()
