"""Faults: 20 % of DynamoDB and S3 calls fail while thousands of messages are processed.

The processing function's DynamoDB and S3 clients carry a client-side fault injector
(throttling, 500s, unprocessed keys); an event source mapping delivers the messages in
batches and applies the redrive policy. Afterwards every message is either stored — the
item holds the newest content and names an immutable backup object holding exactly that
payload; every backup object has one version and holds a payload of its record — or in
the dead-letter queue with a logged reason; replaying everything writes nothing new.

The 10,000-message run uses an in-memory queue (moto's SQS is far too slow at that
size); a 300-message run goes through moto's real queue and dead-letter queue.
"""

from __future__ import annotations

import hashlib
import io
import random
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from runtime.core import logs
from runtime.core.metrics import PROCESSING, Metrics
from runtime.core.retry import Retrier
from runtime.core.settings import load_processing
from runtime.ingest.backup_store import BackupStore
from runtime.ingest.change_hash import canonical_json
from runtime.ingest.dedup_store import DedupStore
from runtime.ingest.process import Processor
from tests.runtime.faults import EventSourceMapping, FaultInjector, InMemoryEventSourceMapping
from tests.runtime.support import create_pipeline, envelope, json_lines, table_items

BATCH_SIZE = 100
MAX_RECEIVE_COUNT = 5


def _content(key: int, version: int, copy: int) -> dict[str, Any]:
    status = "paid" if version == 1 else "refunded"
    return {
        "id": f"A-{key:05d}",
        "status": status,
        "amount": {"total": key / 4},
        "updated_at": f"v{version}-copy{copy}",  # ignored for change
    }


def _etag(record: dict[str, Any]) -> str:
    return hashlib.md5(canonical_json(record).encode()).hexdigest()  # noqa: S324 - S3's ETag


def _version_etags(bucket: str) -> dict[str, list[str]]:
    """Each backup object's version ETags (one listing, no downloads)."""
    s3 = boto3.client("s3")
    found: dict[str, list[str]] = defaultdict(list)
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix="raw/"):
        for version in page.get("Versions", []):
            found[version["Key"]].append(version["ETag"].strip('"'))
    return dict(found)


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    """The trellis logger writes to a buffer for the test, then back to stdout."""
    stream = io.StringIO()
    logs.configure(
        level="INFO", blueprint="faults", environment="test", function="process", stream=stream
    )
    yield stream
    logs.configure(level="INFO", blueprint="-", environment="-", function="-")


def _scenario(messages: int, real_sqs: bool, log_stream: io.StringIO) -> None:
    keys, updated_keys, malformed_count = messages // 10, messages // 40, messages // 100
    rng = random.Random(messages)
    pipeline = create_pipeline(max_receive_count=MAX_RECEIVE_COUNT)
    settings = load_processing(pipeline.processing_env())
    metrics = Metrics({"Blueprint": "faults"}, PROCESSING, write=lambda _: None)
    retries: list[str] = []
    retrier = Retrier(settings.common.retry, lambda op, n, e: retries.append(op))
    faults = FaultInjector(rate=0.2, seed=7)
    processor = Processor(
        settings,
        DedupStore(faults.client("dynamodb"), settings.table_name, "order_id", retrier),
        BackupStore(faults.client("s3"), settings.backup_bucket, settings.backup_prefix, retrier),
        metrics,
    )
    mapping: EventSourceMapping | InMemoryEventSourceMapping = (
        EventSourceMapping(pipeline.queue_url, processor.process, BATCH_SIZE)
        if real_sqs
        else InMemoryEventSourceMapping(processor.process, BATCH_SIZE, MAX_RECEIVE_COUNT)
    )

    # Phase 1: version 1 of every key, re-fetched several times (a new updated_at each
    # time, which is ignored for change), plus malformed messages.
    expected: dict[int, list[set[str]]] = {k: [set()] for k in range(keys)}
    phase1: list[str] = []
    for i in range(messages - malformed_count - updated_keys * 2):
        key, copy = i % keys, i // keys
        record = _content(key, 1, copy)
        expected[key][0].add(_etag(record))
        phase1.append(envelope(record, observed_at=1_000 + copy))
    malformed = [envelope({"status": "no id"}, observed_at=1)] * (malformed_count // 2)
    malformed += ["{not json"] * (malformed_count - len(malformed))
    rng.shuffle(phase1 := phase1 + malformed)
    mapping.feed(phase1, "fault-run-1")

    # Phase 2: version 2 of some keys, twice each, observed later.
    updated = rng.sample(range(keys), updated_keys)
    phase2 = []
    for key in updated:
        expected[key].append(set())
        for copy in (0, 1):
            record = _content(key, 2, copy)
            expected[key][1].add(_etag(record))
            phase2.append(envelope(record, observed_at=5_000 + copy))
    rng.shuffle(phase2)
    mapping.feed(phase2, "fault-run-2")
    assert len(phase1) + len(phase2) == messages

    # The item holds the latest content and names a backup of exactly its payload; every
    # backup object is immutable (one version) and holds one of its record's payloads.
    history = _version_etags(pipeline.bucket)
    items = table_items(pipeline.table_name)
    assert len(items) == keys
    assert all(len(etags) == 1 for etags in history.values())
    for key, contents in expected.items():
        item = items[f"A-{key:05d}"]
        wanted = "refunded" if len(contents) == 2 else "paid"
        assert item["status"] == {"S": wanted}
        named = item["trellis_backup_key"]["S"]
        assert history[named][0] in contents[-1], key
        objects = [k for k in history if k.startswith(f"raw/A-{key:05d}/")]
        allowed = set().union(*contents)
        assert all(history[k][0] in allowed for k in objects), key
    stored = len(history)
    assert stored >= keys + updated_keys

    # The malformed messages, and only they, are dead-lettered, each with a logged reason.
    dead = mapping.dead_letters()
    assert sorted(body for _, body in dead) == sorted(malformed)
    reasons: dict[str, set[str]] = defaultdict(set)
    for line in json_lines(log_stream.getvalue()):
        if line.get("message") == "record failed":
            reasons[line["message_id"]].add(line["reason"])
    for message_id, _ in dead:
        assert any(r.startswith("malformed:") for r in reasons[message_id]), message_id
    assert faults.injected["PutItem"] > stored // 10
    assert faults.injected["PutObject"] > stored // 10
    assert faults.injected["BatchGetItem"] > 0
    assert len(retries) >= sum(faults.injected.values()) * 0.9

    # Replay every valid message: nothing new is written.
    faults.calls.clear()
    mapping.feed([b for b in phase1 if b not in malformed] + phase2, "fault-replay")
    assert faults.calls["PutItem"] == faults.calls["PutObject"] == 0
    assert len(_version_etags(pipeline.bucket)) == stored
    assert sorted(mapping.dead_letters()) == sorted(dead)  # the replay dead-lettered nothing


def test_ten_thousand_records_with_faulty_dynamodb_and_s3(
    moto_endpoint: str, log_stream: io.StringIO
) -> None:
    """10,000 messages, 20 % of AWS calls failing: stored once per content or dead-lettered."""
    _scenario(10_000, real_sqs=False, log_stream=log_stream)


def test_faults_through_moto_sqs_and_its_dead_letter_queue(
    moto_endpoint: str, log_stream: io.StringIO
) -> None:
    """The same guarantees with moto's real queue, redrive policy and dead-letter queue."""
    _scenario(200, real_sqs=True, log_stream=log_stream)
