"""What every handler sets up at cold start: JSON logs, its metrics and its retrier.

The retrier reports each retry twice: as a ``Retries`` metric and as a ``retrying`` log
line (operation, attempt, reason) at WARNING, so a slow dependency is visible in both. The
line carries the correlation id bound where the call is made (the record's, in
processing). Attempts are bounded by the AWS clients' timeouts (``ATTEMPT_SECONDS``).
"""

from __future__ import annotations

import logging

from runtime.core import logs
from runtime.core.aws import ATTEMPT_SECONDS
from runtime.core.metrics import Metrics
from runtime.core.retry import Retrier
from runtime.core.settings import CommonSettings
from runtime.core.telemetry import observe


def instrument(
    common: CommonSettings, metric_names: tuple[str, ...], log: logging.Logger
) -> tuple[Metrics, Retrier]:
    """Configure logging for this function and return its metrics and retrier."""
    logs.configure(
        level=common.log_level,
        blueprint=common.blueprint,
        environment=common.environment,
        function=common.function,
    )
    metrics = Metrics(
        {
            "Blueprint": common.blueprint,
            "Environment": common.environment,
            "Function": common.function,
        },
        metric_names,
        level=common.log_level,
    )

    def on_retry(operation: str, attempt: int, error: BaseException) -> None:
        metrics.add("Retries")
        observe(error)  # throttling and HTTP 429 counts for the telemetry line
        log.warning(
            "retrying",
            extra={"fields": {"operation": operation, "attempt": attempt, "reason": str(error)}},
        )

    return metrics, Retrier(common.retry, on_retry, attempt_seconds=ATTEMPT_SECONDS)
