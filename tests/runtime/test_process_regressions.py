"""Deterministic regression cases for the processing defects of issue 22, against moto.

Each test names the item it pins down. The model-based test (``test_model.py``) explores
the same ground at random; these reproduce each defect's exact sequence.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ReadTimeoutError

from runtime.contract.common import LOG_LEVELS
from runtime.core import logs
from runtime.core.deadline import Deadline, DeadlineExceededError, bind_deadline
from runtime.core.exceptions import RetryExhaustedError
from runtime.core.metrics import LAMBDA_LEVELS, PROCESSING, Metrics
from runtime.core.retry import Retrier
from runtime.core.settings import RetryPolicy, load_processing
from runtime.ingest import process
from runtime.ingest.backup_store import BackupStore
from runtime.ingest.change_hash import canonical_json
from runtime.ingest.dedup_store import DedupStore
from runtime.ingest.messages import Candidate
from runtime.ingest.ordering import FUTURE_ALLOWANCE_MS, Position, page_sequence
from runtime.ingest.process import Processor
from runtime.ingest.visibility import Visibility, backoff_seconds
from tests.runtime.support import (
    FakeContext,
    Pipeline,
    create_pipeline,
    envelope,
    json_lines,
    order,
    sqs_event,
    table_items,
    versions,
)

NO_BOTOCORE_RETRIES = Config(retries={"total_max_attempts": 1})  # like the runtime's clients


@pytest.fixture
def pipeline(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pipeline]:
    """A fresh pipeline with the processing function's environment set."""
    created = create_pipeline()
    for key, value in created.processing_env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(process, "_wiring", None)
    yield created


def invoke(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Call the handler as Lambda would."""
    return process.handler(event, context or FakeContext())


def at(record: dict[str, Any], observed_at: int, page: int = 1, index: int = 0) -> str:
    """An envelope with a sequence, as the retrieval now sends it."""
    return json.dumps(
        {
            "trellis": 1,
            "observed_at": observed_at,
            "sequence": page_sequence(page, index),
            "record": record,
        }
    )


def status(pipeline: Pipeline, key: str = "A-00001") -> str:
    """The stored status of ``key``."""
    return str(table_items(pipeline.table_name)[key]["status"]["S"])


def test_late_older_record_after_an_unchanged_newer_one_is_superseded(pipeline: Pipeline) -> None:
    """Item 1: v1@10, v1 again @30 (unchanged), then a late v2@20: the item stays v1."""
    invoke(sqs_event([at(order(1, status="open", updated="a"), 10)]))
    invoke(sqs_event([at(order(1, status="open", updated="b"), 30)]))
    assert table_items(pipeline.table_name)["A-00001"]["trellis_observed_at"] == {"N": "30"}
    invoke(sqs_event([at(order(1, status="paid"), 20)]))
    assert status(pipeline) == "open"


def test_equal_timestamps_are_ordered_by_sequence(pipeline: Pipeline) -> None:
    """Item 2: v1 and v2 share a millisecond; v1, v2, then v1 redelivered ends as v2."""
    first = at(order(1, status="open"), 50, index=0)
    second = at(order(1, status="paid"), 50, index=1)
    for body in (first, second, first):
        assert invoke(sqs_event([body])) == {"batchItemFailures": []}
    assert status(pipeline) == "paid"


def test_foreign_messages_of_one_millisecond_end_the_same_in_any_order(
    pipeline: Pipeline,
) -> None:
    """Item 2: plain messages sharing a SentTimestamp are ordered by message id, stably."""
    bodies = [json.dumps(order(1, status="open")), json.dumps(order(1, status="paid"))]
    event = sqs_event(bodies, ids=["m-1", "m-2"])
    for record in event["Records"]:
        record["attributes"]["SentTimestamp"] = "1700000000000"
    one, two = event["Records"]
    for sequence in ([one], [two], [one]):
        invoke({"Records": sequence})
    assert status(pipeline) == "paid"  # m-2 sorts after m-1, whatever the delivery order


def test_a_far_future_observation_is_malformed(pipeline: Pipeline) -> None:
    """Item 3: observed_at beyond now plus the allowance cannot freeze the key."""
    now_ms = int(time.time() * 1000)  # now, not at import: a long run would age it
    future = now_ms + FUTURE_ALLOWANCE_MS + 86_400_000
    event = sqs_event([at(order(1, status="frozen"), future)])
    result = invoke(event)
    assert result == {"batchItemFailures": [{"itemIdentifier": event["Records"][0]["messageId"]}]}
    invoke(sqs_event([at(order(1, status="paid"), now_ms)]))
    assert status(pipeline) == "paid"


def test_an_older_writer_landing_its_backup_last_cannot_make_it_current(
    pipeline: Pipeline,
) -> None:
    """Item 4: A (older) read before B wrote, lands its backup after B: the item keeps B's."""
    wiring = process.cold_start(pipeline.processing_env())
    processor = wiring.processor
    shaper = processor.shaper

    def candidate(record: dict[str, Any], observed_at: int) -> Candidate:
        return Candidate(
            message_id=f"m{observed_at}",
            index=0,
            receive_count=1,
            correlation_id="c",
            position=Position(observed_at),
            payload=canonical_json(record).encode(),
            record=shaper.shape_record(record),
        )

    older, newer = candidate(order(1, status="open"), 1), candidate(order(1, status="paid"), 2)
    assert processor._store(newer, None) == "changed"
    # A read "nothing stored" before B wrote; its backup now lands after B's.
    assert processor._store(older, None) == "superseded"
    item = table_items(pipeline.table_name)["A-00001"]
    objects = versions(pipeline.bucket, "raw/A-00001/")
    assert all(len(bodies) == 1 for bodies in objects.values())  # immutable
    assert objects[item["trellis_backup_key"]["S"]] == [newer.payload]


HOSTILE = [
    ('{"trellis":1,"observed_at":5,"record":{"id":"H","amount":{"total":NaN}}}', "NaN"),
    ('{"trellis":1,"observed_at":5,"record":{"id":"H","amount":{"total":Infinity}}}', "Infinity"),
    ('{"id":"H","total":-Infinity}', "-Infinity"),
    ('{"trellis":1,"observed_at":5,"record":{"id":"H","status":"\\ud800"}}', "cannot be encoded"),
    ('{"id":"\\udfff-key"}', "cannot be encoded"),
    (json.dumps({"id": "H", "amount": {"total": int("1" * 41)}}), "outside what DynamoDB"),
    (json.dumps({"id": "H", "amount": {"total": 1e200}}), "outside what DynamoDB"),
    (json.dumps({"id": "K" * 1000}), "bytes; S3 allows 1024"),
    (json.dumps({"id": "K" * 3000}), "bytes; DynamoDB allows 2048"),
    (
        json.dumps({"id": "H", "status": "x" * 250_000, "amount": {"total": "y" * 200_000}}),
        "bytes; DynamoDB",
    ),
    (json.dumps({"trellis": 1, "observed_at": 10**15, "record": {"id": "H"}}), "freeze the key"),
    (json.dumps({"trellis": 1, "observed_at": -1, "record": {"id": "H"}}), "not between 0"),
    (
        json.dumps({"trellis": 1, "observed_at": 5, "sequence": 7, "record": {"id": "H"}}),
        "sequence",
    ),
    ("[" * 100_000 + "]" * 100_000, "not JSON"),
]


@pytest.mark.parametrize(("body", "reason"), HOSTILE, ids=[r for _, r in HOSTILE])
def test_hostile_payloads_fail_alone_as_malformed(
    pipeline: Pipeline, capsys: pytest.CaptureFixture[str], body: str, reason: str
) -> None:
    """Item 5/11: each hostile body is malformed; its batch-mate is stored; nothing raises."""
    event = sqs_event([body, envelope(order(1))])
    bad = event["Records"][0]["messageId"]
    assert invoke(event) == {"batchItemFailures": [{"itemIdentifier": bad}]}
    lines = json_lines(capsys.readouterr().out)
    failure = next(line for line in lines if line.get("message") == "record failed")
    assert failure["reason"].startswith("malformed:")
    assert reason in failure["reason"]
    assert sorted(table_items(pipeline.table_name)) == ["A-00001"]
    assert [k.split("/")[1] for k in versions(pipeline.bucket)] == ["A-00001"]  # no orphan


def test_nothing_is_started_when_the_deadline_is_near(
    pipeline: Pipeline, capsys: pytest.CaptureFixture[str]
) -> None:
    """Item 7: with 5 s left no record is started; all are deferred, none raise."""
    context = FakeContext()
    context.get_remaining_time_in_millis = lambda: 5_000  # type: ignore[attr-defined]
    event = sqs_event([envelope(order(n)) for n in range(3)])
    result = invoke(event, context)
    assert len(result["batchItemFailures"]) == 3
    assert table_items(pipeline.table_name) == {}
    lines = json_lines(capsys.readouterr().out)
    emf = next(line for line in lines if "_aws" in line)
    assert emf["RecordsDeferred"] == 3
    assert emf["RecordsFailed"] == 0


def test_retries_stop_before_the_deadline() -> None:
    """Item 7: a call that keeps failing is not retried past the invocation's deadline."""
    remaining = [30_000.0]
    attempts: list[int] = []
    waits: list[float] = []

    def spend(seconds: float) -> None:
        remaining[0] -= seconds * 1000
        waits.append(seconds)

    retrier = Retrier(
        RetryPolicy(max_attempts=10, base_delay_ms=4_000, max_delay_ms=4_000),
        attempt_seconds=8.0,
        on_wait=spend,
    )

    def slow_failure() -> None:
        attempts.append(1)
        remaining[0] -= 8_000  # each attempt times out after 8 s
        raise ReadTimeoutError(endpoint_url="x")

    from runtime.core.aws import classify_aws_error

    deadline = Deadline(lambda: remaining[0], reserve_seconds=3)
    with bind_deadline(deadline), pytest.raises(DeadlineExceededError, match="deadline is near"):
        retrier.call("dynamodb.PutItem", slow_failure, classify_aws_error)
    assert len(attempts) < 10
    assert remaining[0] >= 3_000  # the reserve is intact
    with pytest.raises(RetryExhaustedError):  # without a deadline every attempt is made
        Retrier(RetryPolicy(3, 0, 0)).call("x", slow_failure, classify_aws_error)


def test_unchanged_records_do_not_reset_the_breaker(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Item 7: 90 % unchanged records and a dead bucket still trip the breaker."""
    invoke(sqs_event([envelope(order(n), observed_at=5) for n in range(9)]))
    monkeypatch.setenv("TRELLIS_STOP_MAX_CONSECUTIVE_FAILURES", "3")
    monkeypatch.setenv("TRELLIS_BACKUP_BUCKET", pipeline.bucket + "-missing")
    monkeypatch.setattr(process, "_wiring", None)
    capsys.readouterr()
    bodies = []
    for n in range(9):
        bodies.append(envelope(order(n), observed_at=5))  # unchanged, not newer: no call
        bodies.append(envelope(order(100 + n), observed_at=5))  # new: fails
    invoke(sqs_event(bodies))
    emf = next(line for line in json_lines(capsys.readouterr().out) if "_aws" in line)
    assert emf["BreakerTrips"] == 1
    assert emf["RecordsDeferred"] == 12  # the 12 records after the third failure


def test_failed_messages_are_hidden_with_backoff_and_malformed_ones_return_at_once(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 7: a store failure hides the message for its backoff; a malformed one is visible."""
    sqs = boto3.client("sqs")
    sqs.send_message(QueueUrl=pipeline.queue_url, MessageBody="not json")
    sqs.send_message(QueueUrl=pipeline.queue_url, MessageBody=envelope(order(1)))
    received = sqs.receive_message(
        QueueUrl=pipeline.queue_url, MaxNumberOfMessages=10, AttributeNames=["All"]
    )["Messages"]
    assert len(received) == 2
    arn = sqs.get_queue_attributes(QueueUrl=pipeline.queue_url, AttributeNames=["QueueArn"])
    event = {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m["Attributes"],
                "messageAttributes": {},
                "eventSourceARN": arn["Attributes"]["QueueArn"],
            }
            for m in received
        ]
    }
    monkeypatch.setenv("TRELLIS_BACKUP_BUCKET", pipeline.bucket + "-missing")
    assert len(invoke(event)["batchItemFailures"]) == 2
    again = sqs.receive_message(QueueUrl=pipeline.queue_url, MaxNumberOfMessages=10)
    assert [m["Body"] for m in again.get("Messages", [])] == ["not json"]
    assert [backoff_seconds(n) for n in range(1, 7)] == [60, 180, 540, 1620, 4860, 14580]
    assert backoff_seconds(40) == 43_200


def test_visibility_failures_are_logged_not_raised(capsys: pytest.CaptureFixture[str]) -> None:
    """An unusable event source ARN or receipt handle never fails the batch."""

    class Broken:
        class meta:
            endpoint_url = "https://sqs.example"

        def change_message_visibility_batch(self, **_: Any) -> dict[str, Any]:
            raise RuntimeError("receipt handle expired")

    logs.configure(level="INFO", blueprint="b", environment="e", function="process")
    record = {"messageId": "m", "receiptHandle": "h", "eventSourceARN": "arn:aws:sqs:r:1:q"}
    Visibility(Broken()).hide([record], malformed=[], retry=["m"])
    assert "receipt handle expired" in capsys.readouterr().out


@pytest.mark.parametrize("level", LOG_LEVELS)
def test_the_metrics_line_survives_every_configured_level(level: str) -> None:
    """Item 10: Lambda's filter at the generator's application_log_level keeps the EMF line."""
    from generator.render.stack import LAMBDA_LOG_LEVELS

    order_of = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]
    threshold = LAMBDA_LOG_LEVELS[level]  # what the function's logging_config gets
    lines: list[str] = []
    Metrics({"Blueprint": "b"}, PROCESSING, write=lines.append, level=level).flush()
    document = json.loads(lines[0])
    assert document["level"] in order_of, "a line without a known level is dropped"
    assert order_of.index(document["level"]) >= order_of.index(threshold)
    assert document["timestamp"].endswith("Z")
    assert LAMBDA_LEVELS == LAMBDA_LOG_LEVELS


def _processor(pipeline: Pipeline, dynamodb: Any, s3: Any, metrics: Metrics) -> Processor:
    settings = load_processing(pipeline.processing_env())
    retrier = Retrier(
        settings.common.retry,
        lambda op, n, e: logs.get_logger("t").warning(
            "retrying", extra={"fields": {"operation": op}}
        ),
    )
    return Processor(
        settings,
        DedupStore(dynamodb, settings.table_name, "order_id", retrier),
        BackupStore(s3, settings.backup_bucket, settings.backup_prefix, retrier),
        metrics,
    )


def test_a_lost_put_item_response_counts_as_changed(pipeline: Pipeline) -> None:
    """Item 11: PutItem lands, its response is lost, the retry is refused: still 'changed'."""
    dynamodb = boto3.client("dynamodb", config=NO_BOTOCORE_RETRIES)
    lost: list[str] = []

    def lose_first(**kwargs: Any) -> None:
        if not lost:
            lost.append(kwargs["event_name"])
            raise ReadTimeoutError(endpoint_url="lost")

    dynamodb.meta.events.register("after-call.dynamodb.PutItem", lose_first)
    values: list[str] = []
    metrics = Metrics({"Blueprint": "b"}, PROCESSING, write=values.append)
    processor = _processor(pipeline, dynamodb, boto3.client("s3"), metrics)
    assert processor.process(sqs_event([envelope(order(1))])) == {"batchItemFailures": []}
    assert lost
    assert metrics.value("RecordsChanged") == 1
    assert metrics.value("RecordsSuperseded") == 0


def _refuse_once(code: str, status_code: int, service: str) -> Any:
    """A before-send hook answering the first call with an injected error, then passing."""
    from botocore.awsrequest import AWSResponse

    from tests.runtime.faults import _dynamodb_error, _Raw, _s3_error

    seen: list[str] = []

    def hook(request: Any, **kwargs: Any) -> AWSResponse | None:
        seen.append(kwargs["event_name"])
        if len(seen) > 1 and code != "ValidationException":
            return None
        make = _dynamodb_error if service == "dynamodb" else _s3_error
        status, headers, body = make(status_code, code)
        return AWSResponse(request.url, status, headers, _Raw(body))

    hook.seen = seen  # type: ignore[attr-defined]
    return hook


def test_retrying_lines_carry_the_records_correlation_id(pipeline: Pipeline) -> None:
    """Item 11: a retry while storing a record logs under that record's correlation id."""
    stream = io.StringIO()
    logs.configure(level="INFO", blueprint="b", environment="e", function="p", stream=stream)
    s3 = boto3.client("s3", config=NO_BOTOCORE_RETRIES)
    s3.meta.events.register("before-send.s3.PutObject", _refuse_once("SlowDown", 503, "s3"))
    metrics = Metrics({"Blueprint": "b"}, PROCESSING, write=lambda _: None)
    processor = _processor(pipeline, boto3.client("dynamodb"), s3, metrics)
    with logs.bind_correlation_id("lambda-request-id"):
        processor.process(sqs_event([envelope(order(1))], correlation_id="order-feed-7"))
    retrying = [line for line in json_lines(stream.getvalue()) if line["message"] == "retrying"]
    assert retrying
    assert {line["correlation_id"] for line in retrying} == {"order-feed-7"}


def test_a_validation_error_from_dynamodb_is_malformed_not_retried(pipeline: Pipeline) -> None:
    """Item 11: a deterministic 4xx (ValidationException) is dead-lettered, not retried."""
    dynamodb = boto3.client("dynamodb", config=NO_BOTOCORE_RETRIES)
    refuse = _refuse_once("ValidationException", 400, "dynamodb")
    dynamodb.meta.events.register("before-send.dynamodb.PutItem", refuse)
    metrics = Metrics({"Blueprint": "b"}, PROCESSING, write=lambda _: None)
    processor = _processor(pipeline, dynamodb, boto3.client("s3"), metrics)
    event = sqs_event([envelope(order(1))])
    result = processor.process(event)
    assert result == {"batchItemFailures": [{"itemIdentifier": event["Records"][0]["messageId"]}]}
    assert len(refuse.seen) == 1
    assert metrics.value("RecordsFailed") == 1
