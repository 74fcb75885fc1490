"""The processing handler: SQS batches in, changed records stored and backed up.

``handler(event, context)`` receives an SQS event (the event source mapping must have
``ReportBatchItemFailures``) and returns ``{"batchItemFailures": [...]}`` naming exactly
the messages that failed; SQS deletes the others. For each message:

1. parse the body: the retrieval envelope ``{"trellis": 1, "observed_at", "record"}``, or
   any JSON object from another producer (then ``observed_at`` is the message's
   ``SentTimestamp``); shape it and compute its change hash. A message that cannot be
   parsed or shaped is *malformed*: it is logged with its message id and the reason and
   reported as failed, so the redrive policy moves it to the dead-letter queue;
2. read the stored hashes with ``BatchGetItem`` (one call per 100 distinct keys);
3. skip records whose hash is unchanged, or that are older than what is stored;
4. for a changed record, back up its raw payload to S3, then write the item with a
   conditional ``PutItem``.

Messages for the same key in one batch are handled in rounds, oldest first, so every
distinct content is stored in order. A record whose AWS calls still fail after retries is
reported as failed (SQS redelivers it later) and counts towards the circuit breaker: once
it opens, the rest of the batch is reported as failed without being tried, and stays
queued for a later run.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from runtime.core import logs
from runtime.core.breaker import CircuitBreaker
from runtime.core.capabilities import Capability, union
from runtime.core.instrument import instrument
from runtime.core.metrics import PROCESSING, Metrics
from runtime.core.settings import ProcessingSettings, load_processing
from runtime.core.telemetry import memory_limit, telemetry
from runtime.ingest.backup_store import CAPABILITIES as BACKUP_CAPABILITIES
from runtime.ingest.backup_store import BackupStore
from runtime.ingest.change_hash import canonical_json
from runtime.ingest.dedup_store import CAPABILITIES as DEDUP_CAPABILITIES
from runtime.ingest.dedup_store import DedupStore, StoredState
from runtime.ingest.exceptions import MalformedRecordError
from runtime.ingest.shaping import ShapedRecord, Shaper

__all__ = ["CAPABILITIES", "Candidate", "Processor", "handler", "parse_message"]

CAPABILITIES: tuple[Capability, ...] = union(DEDUP_CAPABILITIES, BACKUP_CAPABILITIES)

_CORRELATION_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_log = logs.get_logger("ingest.process")


@dataclass(frozen=True)
class Candidate:
    """A parsed, shaped message waiting to be stored."""

    message_id: str
    position: int
    receive_count: int
    correlation_id: str
    observed_at: int
    payload: bytes
    record: ShapedRecord


def message_correlation_id(message: Mapping[str, Any]) -> str:
    """The ``correlation_id`` message attribute, or the message id when it has none."""
    attributes = message.get("messageAttributes") or {}
    given = (attributes.get("correlation_id") or {}).get("stringValue")
    if isinstance(given, str) and _CORRELATION_ID.match(given):
        return given
    return str(message.get("messageId", ""))


def parse_message(message: Mapping[str, Any], position: int, shaper: Shaper) -> Candidate:
    """Parse and shape one SQS record of the event.

    Raises:
        MalformedRecordError: the body is not JSON, not an object, or cannot be shaped.
    """
    attributes = message.get("attributes") or {}
    try:
        body = json.loads(message["body"])
    except (KeyError, TypeError, json.JSONDecodeError) as error:
        raise MalformedRecordError(f"body is not JSON: {error}") from None
    if isinstance(body, dict) and body.get("trellis") == 1 and "record" in body:
        raw = body["record"]
        observed_at = body.get("observed_at")
        if isinstance(observed_at, bool) or not isinstance(observed_at, int):
            raise MalformedRecordError(f"envelope observed_at is {observed_at!r}, not an integer")
    else:
        raw = body
        observed_at = int(attributes.get("SentTimestamp") or 0)
    record = shaper.shape_record(raw)
    try:
        payload = canonical_json(raw).encode("utf-8")
    except ValueError as error:
        raise MalformedRecordError(str(error)) from None
    message_id = str(message.get("messageId", ""))
    return Candidate(
        message_id=message_id,
        position=position,
        receive_count=int(attributes.get("ApproximateReceiveCount") or 1),
        correlation_id=message_correlation_id(message),
        observed_at=observed_at,
        payload=payload,
        record=record,
    )


def rounds(candidates: Sequence[Candidate]) -> list[list[Candidate]]:
    """Split candidates so each key occurs once per round, oldest observation first."""
    by_key: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        by_key.setdefault(candidate.record.key, []).append(candidate)
    result: list[list[Candidate]] = []
    for group in by_key.values():
        group.sort(key=lambda c: (c.observed_at, c.position))
        for depth, candidate in enumerate(group):
            if depth == len(result):
                result.append([])
            result[depth].append(candidate)
    return result


class Processor:
    """Handles SQS batches for one pipeline with the given stores."""

    def __init__(
        self,
        settings: ProcessingSettings,
        dedup: DedupStore,
        backup: BackupStore,
        metrics: Metrics,
    ) -> None:
        self.settings = settings
        self.shaper = Shaper(settings.shape)
        self.dedup = dedup
        self.backup = backup
        self.metrics = metrics

    def _reject(self, message_id: str, correlation_id: str, reason: str, failed: set[str]) -> None:
        failed.add(message_id)
        self.metrics.add("RecordsFailed")
        with logs.bind_correlation_id(correlation_id):
            _log.error(
                "record failed", extra={"fields": {"message_id": message_id, "reason": reason}}
            )

    def _store(self, candidate: Candidate, stored: StoredState | None) -> str:
        """Store one candidate; returns the outcome (changed, unchanged, superseded)."""
        record = candidate.record
        if stored is not None and stored.change_hash == record.change_hash:
            return "unchanged"
        if stored is not None and stored.observed_at > candidate.observed_at:
            return "superseded"
        version = self.backup.put(
            record.key,
            candidate.payload,
            change_hash=record.change_hash,
            observed_at=candidate.observed_at,
            correlation_id=candidate.correlation_id,
        )
        written = self.dedup.put(record, observed_at=candidate.observed_at, backup_version=version)
        return "changed" if written else "superseded"

    def process(self, event: Mapping[str, Any]) -> dict[str, list[dict[str, str]]]:
        """Handle one SQS event; returns the ``batchItemFailures`` response."""
        messages = list(event.get("Records") or [])
        failed: set[str] = set()
        candidates: list[Candidate] = []
        for position, message in enumerate(messages):
            try:
                candidates.append(parse_message(message, position, self.shaper))
            except MalformedRecordError as error:
                message_id = str(message.get("messageId", ""))
                cid = message_correlation_id(message)
                self._reject(message_id, cid, f"malformed: {error.reason}", failed)

        breaker = CircuitBreaker(self.settings.common.stop_max_consecutive_failures)
        for batch in rounds(candidates):
            if breaker.open:
                for candidate in batch:
                    self._reject(
                        candidate.message_id,
                        candidate.correlation_id,
                        "not attempted: the circuit breaker stopped this run",
                        failed,
                    )
                continue
            try:
                current = self.dedup.current([c.record.key for c in batch])
            except Exception as error:  # the round is the task boundary for its read
                if breaker.record_failure():
                    self.metrics.add("BreakerTrips")
                for candidate in batch:
                    self._reject(
                        candidate.message_id,
                        candidate.correlation_id,
                        f"read failed: {error}",
                        failed,
                    )
                continue
            for candidate in batch:
                if breaker.open:
                    self._reject(
                        candidate.message_id,
                        candidate.correlation_id,
                        "not attempted: the circuit breaker stopped this run",
                        failed,
                    )
                    continue
                try:
                    outcome = self._store(candidate, current.get(candidate.record.key))
                except Exception as error:  # the record is the task boundary
                    if breaker.record_failure():
                        self.metrics.add("BreakerTrips")
                        with logs.bind_correlation_id(candidate.correlation_id):
                            _log.error(
                                "circuit breaker open: stopping this batch",
                                extra={
                                    "fields": {
                                        "consecutive_failures": breaker.max_consecutive_failures
                                    }
                                },
                            )
                    self._reject(
                        candidate.message_id,
                        candidate.correlation_id,
                        f"store failed: {error}",
                        failed,
                    )
                    continue
                breaker.record_success()
                self.metrics.add(
                    {"changed": "RecordsChanged", "unchanged": "RecordsUnchanged"}.get(
                        outcome, "RecordsSuperseded"
                    )
                )
                with logs.bind_correlation_id(candidate.correlation_id):
                    _log.debug(
                        "record " + outcome,
                        extra={
                            "fields": {
                                "message_id": candidate.message_id,
                                "key": candidate.record.key,
                            }
                        },
                    )
        return {
            "batchItemFailures": [
                {"itemIdentifier": str(m.get("messageId", ""))}
                for m in messages
                if str(m.get("messageId", "")) in failed
            ]
        }


@dataclass
class _Wiring:
    processor: Processor
    metrics: Metrics


_wiring: _Wiring | None = None


def cold_start(env: Mapping[str, str]) -> _Wiring:
    """Read settings, configure logs and metrics, create clients and components.

    Raises:
        SettingsError: an environment variable is missing or invalid.
    """
    from runtime.core.aws import client  # boto3 is loaded here, not at import time

    settings = load_processing(env)
    common = settings.common
    metrics, retrier = instrument(common, PROCESSING, _log)
    dedup = DedupStore(
        client("dynamodb"),
        settings.table_name,
        settings.shape.key,
        retrier,
        ttl_days=settings.ttl_days,
    )
    backup = BackupStore(client("s3"), settings.backup_bucket, settings.backup_prefix, retrier)
    return _Wiring(Processor(settings, dedup, backup, metrics), metrics)


def handler(event: Any, context: Any) -> dict[str, list[dict[str, str]]]:
    """Lambda entry point of the processing function (``runtime.ingest.process.handler``)."""
    global _wiring  # the cold-start cache is module state by design
    if _wiring is None:
        _wiring = cold_start(os.environ)
    wiring = _wiring
    request_id = getattr(context, "aws_request_id", None) or "-"
    started = time.perf_counter()
    with logs.bind_correlation_id(str(request_id)):
        response = wiring.processor.process(event)
        snapshot = wiring.metrics.snapshot()
        wiring.metrics.set("Duration", round((time.perf_counter() - started) * 1000, 3))
        wiring.metrics.flush()
        telemetry.flush(wiring.metrics.dimensions, memory_limit(context))
        _log.info(
            "batch finished",
            extra={
                "fields": {
                    "records": len(event.get("Records") or []),
                    "changed": int(snapshot["RecordsChanged"]),
                    "unchanged": int(snapshot["RecordsUnchanged"]),
                    "superseded": int(snapshot["RecordsSuperseded"]),
                    "failed": len(response["batchItemFailures"]),
                }
            },
        )
    return response
