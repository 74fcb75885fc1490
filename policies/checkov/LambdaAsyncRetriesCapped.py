"""CKV_TRL_9: a Lambda event invoke config caps asynchronous retries and event age."""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

MAX_RETRIES = 1


def _number(conf: dict[str, list[Any]], key: str) -> int | None:
    value = conf.get(key)
    value = value[0] if isinstance(value, list) and value else value
    try:
        return int(str(value))
    except ValueError:
        return None


class LambdaAsyncRetriesCapped(BaseResourceCheck):
    """``maximum_retry_attempts`` (at most 1) and ``maximum_event_age_in_seconds`` are set.

    Lambda's defaults, two retries over up to six hours, let a failed scheduled run still be
    retried when the next run starts. A value checkov cannot resolve fails (fail safe).
    """

    def __init__(self) -> None:
        super().__init__(
            name="Ensure a Lambda event invoke config caps asynchronous retries and event age",
            id="CKV_TRL_9",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=["aws_lambda_function_event_invoke_config"],
            guideline="Set maximum_retry_attempts (0 or 1) and maximum_event_age_in_seconds "
            "explicitly: Lambda's defaults (2 retries, 6 hours) let a failed scheduled run "
            "still be retried when the next run starts. trellis derives both from the "
            "schedule's interval and the function's timeout.",
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        self.evaluated_keys = ["maximum_retry_attempts", "maximum_event_age_in_seconds"]
        retries = _number(conf, "maximum_retry_attempts")
        age = _number(conf, "maximum_event_age_in_seconds")
        if retries is None or retries > MAX_RETRIES or age is None:
            return CheckResult.FAILED
        return CheckResult.PASSED


check = LambdaAsyncRetriesCapped()
