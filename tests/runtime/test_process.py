"""Functional tests of the processing handler against moto in server mode."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from runtime.ingest import process
from runtime.ingest.change_hash import canonical_json
from runtime.ingest.dedup_store import StoredState
from runtime.ingest.ordering import Position
from tests.runtime.support import (
    FakeContext,
    Pipeline,
    create_pipeline,
    envelope,
    json_lines,
    load_event,
    order,
    sqs_event,
    table_items,
    versions,
)


@pytest.fixture
def pipeline(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pipeline]:
    """A fresh pipeline with the processing function's environment set."""
    created = create_pipeline()
    for key, value in created.processing_env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(process, "_wiring", None)
    arn = boto3.client("sqs").get_queue_attributes(
        QueueUrl=created.queue_url, AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    monkeypatch.setitem(_EVENT_SOURCE, "arn", arn)
    yield created


_EVENT_SOURCE: dict[str, str] = {}


def invoke(event: dict[str, Any]) -> dict[str, Any]:
    """Call the handler as Lambda would, for messages of the pipeline's own queue."""
    for record in event.get("Records", []):
        record["eventSourceARN"] = _EVENT_SOURCE.get("arn", record.get("eventSourceARN"))
    return process.handler(event, FakeContext())


def test_sample_event_stores_valid_records_and_reports_the_malformed_one(
    pipeline: Pipeline, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real SQS sample: two records stored, the one without an id reported with a reason."""
    result = invoke(load_event("sqs_batch.json"))
    assert result == {
        "batchItemFailures": [{"itemIdentifier": "d9b1c3f0-5a41-4b8e-9d4e-1f2a3b4c5d6e"}]
    }
    items = table_items(pipeline.table_name)
    assert sorted(items) == ["A-1001", "A-1002"]
    assert items["A-1001"]["total"] == {"N": "42.5"}
    backup_key = items["A-1001"]["trellis_backup_key"]["S"]
    assert backup_key.startswith("raw/A-1001/")
    backups = versions(pipeline.bucket)
    assert sorted(k.split("/")[1] for k in backups) == ["A-1001", "A-1002"]
    assert all(len(bodies) == 1 for bodies in backups.values())  # immutable: one version
    lines = json_lines(capsys.readouterr().out)
    failure = next(line for line in lines if line.get("message") == "record failed")
    assert failure["message_id"] == "d9b1c3f0-5a41-4b8e-9d4e-1f2a3b4c5d6e"
    assert "key field 'order_id'" in failure["reason"]
    assert failure["blueprint"] == pipeline.name
    emf = next(line for line in lines if "_aws" in line)
    assert emf["RecordsChanged"] == 2
    assert emf["RecordsFailed"] == 1


def test_unchanged_records_are_not_written_again(pipeline: Pipeline) -> None:
    """A record whose only change is in ignore_for_change writes nothing the second time."""
    first = order(1, updated="t1")
    invoke(sqs_event([envelope(first, observed_at=1)]))
    again = dict(first, updated_at="t2", noise={"etag": "other"})
    result = invoke(sqs_event([envelope(again, observed_at=2)]))
    assert result == {"batchItemFailures": []}
    assert len(versions(pipeline.bucket, "raw/A-00001/")) == 1
    item = table_items(pipeline.table_name)["A-00001"]
    assert item["updated_at"] == {"S": "t1"}  # the content was not written again ...
    assert item["trellis_observed_at"] == {"N": "2"}  # ... but the newer observation is known


def test_a_changed_record_adds_a_version_and_updates_the_item(pipeline: Pipeline) -> None:
    """A meaningful change writes the item and a new version of the same backup key."""
    invoke(sqs_event([envelope(order(1, status="open"), observed_at=1)]))
    invoke(sqs_event([envelope(order(1, status="paid"), observed_at=2)]))
    history = versions(pipeline.bucket, "raw/A-00001/")
    assert sorted(json.loads(b[0])["status"] for b in history.values()) == ["open", "paid"]
    item = table_items(pipeline.table_name)["A-00001"]
    assert item["status"] == {"S": "paid"}
    assert json.loads(history[item["trellis_backup_key"]["S"]][0])["status"] == "paid"


def test_an_older_record_never_overwrites_a_newer_one(pipeline: Pipeline) -> None:
    """A record observed before the stored one is skipped as superseded."""
    invoke(sqs_event([envelope(order(1, status="paid"), observed_at=20)]))
    result = invoke(sqs_event([envelope(order(1, status="open"), observed_at=10)]))
    assert result == {"batchItemFailures": []}
    assert table_items(pipeline.table_name)["A-00001"]["status"] == {"S": "paid"}
    assert len(versions(pipeline.bucket, "raw/A-00001/")) == 1


def test_same_key_twice_in_one_batch_stores_both_contents_in_order(pipeline: Pipeline) -> None:
    """Duplicates of a key in one batch are handled in rounds, oldest first."""
    event = sqs_event(
        [
            envelope(order(1, status="shipped"), observed_at=3),
            envelope(order(1, status="open"), observed_at=1),
            envelope(order(1, status="open"), observed_at=2),
        ]
    )
    assert invoke(event) == {"batchItemFailures": []}
    history = versions(pipeline.bucket, "raw/A-00001/")
    assert sorted(json.loads(b[0])["status"] for b in history.values()) == ["open", "shipped"]
    item = table_items(pipeline.table_name)["A-00001"]
    assert item["status"] == {"S": "shipped"}
    assert item["trellis_observed_at"] == {"N": "3"}


def test_conditional_put_refuses_a_concurrent_older_writer(pipeline: Pipeline) -> None:
    """The PutItem condition rejects data older than what another writer stored meanwhile."""
    wiring = process.cold_start(pipeline.processing_env())
    dedup = wiring.processor.dedup
    newer = wiring.processor.shaper.shape_record(order(7, status="paid"))
    older = wiring.processor.shaper.shape_record(order(7, status="open"))
    assert dedup.put(newer, position=Position(50, "b"), backup_key="k1").written
    refused = dedup.put(older, position=Position(40), backup_key="k2")
    assert not refused.written
    assert refused.current == StoredState(newer.change_hash, Position(50, "b"))
    assert not dedup.put(older, position=Position(50, "a"), backup_key="k2").written
    assert not dedup.put(newer, position=Position(50, "b"), backup_key="k1").written  # same
    assert dedup.put(older, position=Position(50, "c"), backup_key="k3").written
    assert table_items(pipeline.table_name)["A-00007"]["status"] == {"S": "open"}


def test_redelivered_message_reuses_the_backup_already_written(pipeline: Pipeline) -> None:
    """A message redelivered after its backup was written adds no second object or version."""
    wiring = process.cold_start(pipeline.processing_env())
    candidate = order(3)
    shaped = wiring.processor.shaper.shape_record(candidate)
    # First delivery wrote the backup, then failed before the item was written.
    wiring.processor.backup.put(
        shaped.key,
        canonical_json(candidate).encode(),
        change_hash=shaped.change_hash,
        observed_at=5,
        correlation_id="c",
    )
    result = invoke(sqs_event([envelope(candidate, observed_at=5)], receive_count=2))
    assert result == {"batchItemFailures": []}
    history = versions(pipeline.bucket, "raw/A-00003/")
    assert [len(bodies) for bodies in history.values()] == [1]
    assert table_items(pipeline.table_name)["A-00003"]["trellis_backup_key"]["S"] in history


def test_foreign_producer_bodies_and_correlation_ids_are_accepted(
    pipeline: Pipeline, capsys: pytest.CaptureFixture[str]
) -> None:
    """A plain JSON record (no envelope) is stored; the correlation id reaches the S3 metadata."""
    invoke(sqs_event([json.dumps(order(9))], correlation_id="upstream-42"))
    key = table_items(pipeline.table_name)["A-00009"]["trellis_backup_key"]["S"]
    head = boto3.client("s3").head_object(Bucket=pipeline.bucket, Key=key)
    assert head["Metadata"]["correlation-id"] == "upstream-42"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("not json", "body is not JSON"),
        ("[1, 2]", "record is a JSON list"),
        (json.dumps({"id": None}), "key field 'order_id'"),
        (json.dumps({"trellis": 1, "observed_at": "x", "record": {"id": "1"}}), "observed_at"),
    ],
)
def test_malformed_messages_fail_with_a_reason(
    pipeline: Pipeline, capsys: pytest.CaptureFixture[str], body: str, reason: str
) -> None:
    """Each kind of malformed message is reported as a batch item failure with its reason."""
    event = sqs_event([body, envelope(order(1))])
    failed_id = event["Records"][0]["messageId"]
    assert invoke(event) == {"batchItemFailures": [{"itemIdentifier": failed_id}]}
    failure = next(
        line
        for line in json_lines(capsys.readouterr().out)
        if line.get("message") == "record failed"
    )
    assert failure["message_id"] == failed_id
    assert failure["correlation_id"] == "run-1"
    assert reason in failure["reason"]


def test_ttl_sets_an_expiry_attribute(pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    """With TRELLIS_TTL_DAYS the item carries trellis_expires_at for DynamoDB TTL."""
    monkeypatch.setenv("TRELLIS_TTL_DAYS", "30")
    invoke(sqs_event([envelope(order(4))]))
    assert "trellis_expires_at" in table_items(pipeline.table_name)["A-00004"]


def test_breaker_stops_the_batch_when_the_bucket_is_gone(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """After N consecutive failures the rest of the batch is reported failed, untried."""
    monkeypatch.setenv("TRELLIS_STOP_MAX_CONSECUTIVE_FAILURES", "2")
    monkeypatch.setenv("TRELLIS_BACKUP_BUCKET", pipeline.bucket + "-missing")
    bodies = [envelope(order(n)) for n in range(20)]
    result = invoke(sqs_event(bodies))
    assert len(result["batchItemFailures"]) == 20
    lines = json_lines(capsys.readouterr().out)
    reasons = [line["reason"] for line in lines if line.get("message") == "record failed"]
    assert sum("NoSuchBucket" in r for r in reasons) == 2
    assert sum("circuit breaker" in r for r in reasons) == 18
    assert table_items(pipeline.table_name) == {}
    emf = next(line for line in lines if "_aws" in line)
    assert emf["BreakerTrips"] == 1
