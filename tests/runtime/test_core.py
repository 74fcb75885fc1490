"""Unit tests of the core utilities: retries, logs, metrics, breaker, capabilities."""

from __future__ import annotations

import io
import json
import logging
import re
from email.utils import formatdate

import pytest

from runtime.core import logs
from runtime.core.breaker import CircuitBreaker
from runtime.core.capabilities import Capability, union
from runtime.core.exceptions import RetryExhaustedError
from runtime.core.metrics import PROCESSING, Metrics
from runtime.core.retry import Retrier
from runtime.core.settings import RetryPolicy, ShapeSettings
from runtime.ingest import process, retrieve
from runtime.ingest.change_hash import change_hash
from runtime.ingest.exceptions import MalformedRecordError
from runtime.ingest.http_source import parse_retry_after
from runtime.ingest.paths import MISSING, dot_path
from runtime.ingest.shaping import Shaper


class Flaky:
    """Fails ``failures`` times with ``error``, then returns ``"ok"``."""

    def __init__(self, failures: int, error: Exception) -> None:
        self.failures = failures
        self.error = error
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        return "ok"


def test_retrier_retries_retryable_errors_and_reports_each_retry() -> None:
    """Two retryable failures then success: three calls, two retry reports."""
    seen: list[int] = []
    retrier = Retrier(RetryPolicy(5, 100, 1000), lambda op, n, e: seen.append(n))
    flaky = Flaky(2, TimeoutError("slow"))
    assert retrier.call("op", flaky, lambda e: True) == "ok"
    assert flaky.calls == 3
    assert seen == [2, 3]


def test_retrier_gives_up_after_max_attempts() -> None:
    """A call that keeps failing ends in RetryExhaustedError after max_attempts calls."""
    flaky = Flaky(99, TimeoutError("slow"))
    with pytest.raises(RetryExhaustedError, match="op failed after 4 attempts") as caught:
        Retrier(RetryPolicy(4, 100, 1000)).call("op", flaky, lambda e: True)
    assert flaky.calls == 4
    assert isinstance(caught.value.__cause__, TimeoutError)


def test_retrier_does_not_retry_what_the_classifier_rejects() -> None:
    """A non-retryable error propagates unchanged after one call."""
    flaky = Flaky(99, KeyError("x"))
    with pytest.raises(KeyError):
        Retrier(RetryPolicy(4, 100, 1000)).call("op", flaky, lambda e: False)
    assert flaky.calls == 1


def test_full_jitter_stays_under_the_exponential_ceiling() -> None:
    """Backoff n is uniform in [0, min(max, base * 2^(n-1))]."""
    retrier = Retrier(RetryPolicy(10, 200, 1000))
    for attempt, ceiling in ((1, 0.2), (2, 0.4), (3, 0.8), (4, 1.0), (9, 1.0)):
        samples = [retrier.backoff(attempt) for _ in range(200)]
        assert all(0 <= s <= ceiling for s in samples)
        assert max(samples) > ceiling * 0.5


def test_async_retries_use_the_same_policy() -> None:
    """acall retries an async callable the same way."""
    import asyncio

    flaky = Flaky(1, TimeoutError("slow"))

    async def call() -> str:
        return flaky()

    assert asyncio.run(Retrier(RetryPolicy(3, 1, 1)).acall("op", call, lambda e: True)) == "ok"
    assert flaky.calls == 2


def test_retry_after_header_is_parsed_as_seconds_or_date() -> None:
    """Retry-After accepts delta seconds and HTTP dates; junk means no hint."""
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(formatdate(1_000_030, usegmt=True), now=1_000_000) == 30.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_log_lines_are_json_with_utc_millis_and_correlation_id() -> None:
    """One JSON object per line with the documented fields."""
    stream = io.StringIO()
    logs.configure(
        level="INFO", blueprint="orders", environment="prd", function="process", stream=stream
    )
    with logs.bind_correlation_id("run-9"):
        logs.get_logger("ingest.test").info("hello", extra={"fields": {"records": 3}})
    logs.get_logger("ingest.test").debug("hidden")
    (line,) = stream.getvalue().splitlines()
    record = json.loads(line)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", record["timestamp"])
    assert record | {"timestamp": "-"} == {
        "timestamp": "-",
        "level": "INFO",
        "logger": "trellis.ingest.test",
        "message": "hello",
        "correlation_id": "run-9",
        "blueprint": "orders",
        "environment": "prd",
        "function": "process",
        "records": 3,
    }
    assert not logging.getLogger("trellis").propagate


def test_metrics_flush_one_emf_document_and_reset() -> None:
    """flush writes CloudWatch EMF with every metric of the function, then starts at zero."""
    written: list[str] = []
    metrics = Metrics(
        {"Blueprint": "orders", "Environment": "prd", "Function": "process"},
        PROCESSING,
        written.append,
    )
    metrics.add("RecordsChanged", 3)
    metrics.set("Duration", 12.5)
    metrics.flush()
    document = json.loads(written[0])
    directive = document["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == "Trellis/Ingest"
    assert directive["Dimensions"] == [["Blueprint", "Environment", "Function"]]
    assert [m["Name"] for m in directive["Metrics"]] == list(PROCESSING)
    assert (document["RecordsChanged"], document["Duration"], document["Blueprint"]) == (
        3,
        12.5,
        "orders",
    )
    assert metrics.value("RecordsChanged") == 0
    with pytest.raises(KeyError):
        metrics.add("PagesFetched")


def test_breaker_opens_after_consecutive_failures_only() -> None:
    """A success resets the streak; the Nth consecutive failure trips it once."""
    breaker = CircuitBreaker(3)
    assert [breaker.record_failure(), breaker.record_failure()] == [False, False]
    breaker.record_success()
    assert [breaker.record_failure() for _ in range(4)] == [False, False, True, False]
    assert breaker.open


def test_handler_capabilities_are_the_union_of_their_components() -> None:
    """Each handler declares exactly the IAM actions its components call."""
    assert (
        Capability("ingest.backup_store", "backup_objects", ("s3:PutObject",)),
        Capability(
            "ingest.dedup_store",
            "table",
            ("dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
        ),
        Capability("ingest.visibility", "queue", ("sqs:ChangeMessageVisibility",)),
    ) == process.CAPABILITIES
    assert (
        Capability("core.secret_store", "parameter", ("ssm:GetParameter",)),
        Capability("core.stop_switch", "stop_switch", ("ssm:GetParameter",)),
        Capability("ingest.checkpoint", "checkpoint", ("ssm:GetParameter", "ssm:PutParameter")),
        Capability("ingest.incremental", "table", ("dynamodb:GetItem", "dynamodb:PutItem")),
        Capability("ingest.queue_sender", "queue", ("sqs:SendMessage",)),
    ) == retrieve.CAPABILITIES
    assert union(process.CAPABILITIES, process.CAPABILITIES) == process.CAPABILITIES


def test_dot_paths_walk_objects_and_lists() -> None:
    """Keys and numeric list indexes; anything absent is MISSING."""
    doc = {"a": {"b": [{"c": 1}]}}
    assert dot_path(doc, "a.b.0.c") == 1
    assert dot_path(doc, "") is doc
    assert dot_path(doc, "a.x") is MISSING
    assert dot_path(doc, "a.b.5") is MISSING
    assert dot_path(doc, "a.b.c") is MISSING


def test_change_hash_ignores_listed_fields_and_key_order() -> None:
    """The hash depends on meaningful content only."""
    a = change_hash({"id": "1", "s": "x", "t": "now"}, ["t"])
    assert a == change_hash({"t": "later", "s": "x", "id": "1"}, ["t"])
    assert a != change_hash({"id": "1", "s": "y", "t": "now"}, ["t"])


def test_shaping_reads_dot_paths_and_rejects_bad_keys() -> None:
    """Missing fields become null; a missing or non-scalar key is malformed."""
    shaper = Shaper(
        ShapeSettings("order_id", (("order_id", "id"), ("total", "amount.total")), frozenset())
    )
    shaped = shaper.shape_record({"id": 12})
    assert (shaped.key, shaped.fields) == ("12", {"order_id": "12", "total": None})
    for bad in ({"id": ""}, {"id": True}, {"id": {"x": 1}}, {"amount": 1}):
        with pytest.raises(MalformedRecordError, match="key field 'order_id'"):
            shaper.shape_record(bad)
