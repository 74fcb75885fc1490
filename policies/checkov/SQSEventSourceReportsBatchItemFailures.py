"""CKV_TRL_2: an SQS event source mapping reports batch item failures."""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class SQSEventSourceReportsBatchItemFailures(BaseResourceCheck):
    """An SQS-driven function must return partial batch failures, not fail the whole batch.

    A mapping is SQS-driven when its ``event_source_arn`` names an ``aws_sqs_queue`` (a
    reference) or an SQS ARN (``arn:aws:sqs:...``). Other sources pass untouched.
    """

    def __init__(self) -> None:
        super().__init__(
            name="Ensure an SQS event source mapping reports batch item failures",
            id="CKV_TRL_2",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=["aws_lambda_event_source_mapping"],
            guideline='Set function_response_types = ["ReportBatchItemFailures"] so one bad '
            "record is retried alone instead of the whole batch.",
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        self.evaluated_keys = ["event_source_arn", "function_response_types"]
        source = str((conf.get("event_source_arn") or [""])[0])
        if "aws_sqs_queue." not in source and ":sqs:" not in source:
            return CheckResult.PASSED
        types = conf.get("function_response_types") or [[]]
        values = types[0] if isinstance(types[0], list) else types
        return CheckResult.PASSED if "ReportBatchItemFailures" in values else CheckResult.FAILED


check = SQSEventSourceReportsBatchItemFailures()
