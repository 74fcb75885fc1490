"""What a local run measured and prints: the summary, and how its figures are counted.

The handlers' AWS calls are counted through botocore's ``after-call`` events on the
default boto3 session (:class:`CallCounter`); the invocations' embedded-format metrics are
summed (:func:`metric_totals`) or, for telemetry, peaked (:func:`telemetry_peaks`).
Nothing here calls AWS or changes what a run does.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from generator.local.invoke import Invocation

_THROTTLING = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "SlowDown",
        "Throttling",
        "ThrottlingException",
        "TooManyRequestsException",
    }
)


@dataclass
class RunSummary:
    """The figures printed at the end of a run (and its ``--format json`` document)."""

    stack: str
    correlation_id: str
    pages: int = 0
    pages_failed: int = 0
    fetched: int = 0
    enqueued: int = 0
    changed: int = 0
    unchanged: int = 0
    superseded: int = 0
    failed: int = 0
    in_dlq: int = 0
    dynamodb_reads: int = 0
    dynamodb_items_read: int = 0
    dynamodb_writes: int = 0
    dynamodb_position_updates: int = 0
    s3_versions_written: int = 0
    s3_versions_total: int = 0
    throttled_calls: int = 0
    batches: int = 0
    retrieval_error: str | None = None
    restored_items: int = 0
    duration_seconds: float = 0.0
    telemetry: dict[str, dict[str, float]] = field(default_factory=dict)
    log_file: str = ""

    def as_dict(self) -> dict[str, object]:
        """The summary as JSON-ready data."""
        return asdict(self)

    def lines(self) -> list[str]:
        """The human summary."""
        rows = [
            f"summary of {self.stack} (correlation id {self.correlation_id})",
            f"  pages        {self.pages}"
            + (f" ({self.pages_failed} failed)" if self.pages_failed else ""),
            f"  fetched      {self.fetched}",
            f"  changed      {self.changed}",
            f"  unchanged    {self.unchanged}",
            f"  superseded   {self.superseded}",
            f"  failed       {self.failed}",
            f"  in DLQ       {self.in_dlq}",
            f"  DynamoDB     {self.dynamodb_reads} reads ({self.dynamodb_items_read} items), "
            f"{self.dynamodb_writes} item writes, "
            f"{self.dynamodb_position_updates} position updates",
            f"  S3 versions  {self.s3_versions_written} written, "
            f"{self.s3_versions_total} in the bucket",
            f"  throttled    {self.throttled_calls} AWS calls",
            f"  duration     {self.duration_seconds:.2f} s",
        ]
        peak = 0.0
        for function in ("retrieve", "process"):
            figures = self.telemetry.get(function)
            if not figures:
                continue
            slowest = " (slowest batch)" if function == "process" else ""
            rows.append(
                f"  {function:<12} {figures.get('Duration', 0):.0f} ms{slowest}, "
                f"{figures.get('ThrottledCalls', 0):.0f} throttled AWS calls, "
                f"{figures.get('Http429', 0):.0f} HTTP 429s"
            )
            peak = max(peak, figures.get("MaxMemoryUsedMB", 0))
        if peak:
            rows.append(
                f"  memory       {peak:.0f} MB peak of this process, moto included "
                "(in Lambda: the function's own peak against its memory_mb)"
            )
        if self.retrieval_error:
            rows.append(f"  retrieval    {self.retrieval_error}")
        return rows


class CallCounter:
    """Counts the handlers' AWS calls through botocore's after-call events."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: dict[str, int] = {}

    def _add(self, name: str, amount: int = 1) -> None:
        with self.lock:
            self.counts[name] = self.counts.get(name, 0) + amount

    def __call__(self, http_response: Any, parsed: Any, model: Any, **_: Any) -> None:
        status = int(getattr(http_response, "status_code", 0) or 0)
        code = str((parsed or {}).get("Error", {}).get("Code", ""))
        if code in _THROTTLING:
            self._add("throttled")
        if status != 200:
            return
        name = str(model.name)
        if name == "BatchGetItem":
            self._add("reads")
            for items in (parsed.get("Responses") or {}).values():
                self._add("items_read", len(items))
        elif name == "PutItem":
            self._add("writes")
        elif name == "UpdateItem":
            self._add("position_updates")
        elif name == "PutObject":
            self._add("versions")

    def get(self, name: str) -> int:
        """How many calls of ``name`` (reads, items_read, writes, ...) were counted."""
        return self.counts.get(name, 0)


def count_handler_calls(counter: CallCounter) -> None:
    """A fresh default boto3 session (the handlers' clients come from it), counted."""
    import boto3

    boto3.setup_default_session()
    assert boto3.DEFAULT_SESSION is not None
    boto3.DEFAULT_SESSION.events.register("after-call.*.*", counter)


def metric_totals(invocations: list[Invocation]) -> dict[str, float]:
    """Every metric the invocations emitted in embedded metric format, summed by name."""
    totals: dict[str, float] = {}
    for invocation in invocations:
        for document in invocation.metrics:
            for definition in document["_aws"]["CloudWatchMetrics"]:
                for metric in definition["Metrics"]:
                    value = document.get(metric["Name"])
                    if isinstance(value, int | float):
                        totals[metric["Name"]] = totals.get(metric["Name"], 0) + value
    return totals


def telemetry_peaks(invocations: list[Invocation]) -> dict[str, float]:
    """Peak figures of the invocations' telemetry metrics (when the runtime emits them)."""
    peaks: dict[str, float] = {}
    for invocation in invocations:
        for document in invocation.metrics:
            for name in ("Duration", "MaxMemoryUsedMB", "MemoryUtilization"):
                value = document.get(name)
                if isinstance(value, int | float):
                    peaks[name] = max(peaks.get(name, 0), value)
            for name in ("ThrottledCalls", "Http429"):
                value = document.get(name)
                if isinstance(value, int | float):
                    peaks[name] = peaks.get(name, 0) + value
    return peaks


def run_finished_fields(lines: tuple[str, ...]) -> dict[str, Any]:
    """The fields of the retrieval's ``run finished`` line (a failed run raises instead of
    returning its summary; the line carries the same figures)."""
    for line in reversed(lines):
        if '"run finished"' in line:
            document = json.loads(line)
            if isinstance(document, dict):
                return document
    return {}
