"""The processing handler: SQS batches in, the newest observation of each record stored.

``handler(event, context)`` receives an SQS event (the event source mapping must have
``ReportBatchItemFailures``) and returns ``{"batchItemFailures": [...]}`` naming exactly
the messages that failed; SQS deletes the others. For each message:

1. parse the body: the retrieval envelope ``{"trellis": 1, "observed_at", "sequence",
   "record"}``, or any JSON object from another producer (then the position is the
   message's ``SentTimestamp`` and sequence, see :mod:`runtime.ingest.ordering`); shape it
   and compute its change hash. A message that cannot be parsed, shaped or stored
   (``NaN``, a lone surrogate, a time more than five minutes in the future, a number or
   key over DynamoDB's limits) is *malformed*: logged with its message id and reason,
   reported as failed and made visible again at once, so the redrive policy moves it to
   the dead-letter queue within a few receives;
2. read the stored positions and hashes with ``BatchGetItem`` (one call per 100 keys);
3. decide per record against the stored state: newer and changed → back the raw payload
   up to S3 under its content-addressed key, then ``PutItem`` conditional on the stored
   position being older; newer and unchanged → ``UpdateItem`` moves the stored position
   forward (no S3 write); not newer → skip (*unchanged* or *superseded*). A write the
   condition refuses comes back with the item as it now is and is decided again.

Messages for the same key in one batch are handled in rounds, oldest first. A record
whose AWS calls still fail after retries is reported as failed and counts towards the
circuit breaker; only real writes count as successes. Work that cannot finish before
the invocation's deadline is not started (*deferred*). Failed and deferred messages are
hidden for a backoff that grows with their receive count (``ChangeMessageVisibility``),
so an outage spends a message's receives over hours instead of minutes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from runtime.core import logs
from runtime.core.aws import ATTEMPT_SECONDS
from runtime.core.breaker import CircuitBreaker
from runtime.core.capabilities import Capability, union
from runtime.core.deadline import Deadline, DeadlineExceededError, bind_deadline
from runtime.core.instrument import instrument
from runtime.core.metrics import PROCESSING, Metrics
from runtime.core.settings import ProcessingSettings, load_processing
from runtime.core.telemetry import memory_limit, telemetry
from runtime.ingest.backup_store import CAPABILITIES as BACKUP_CAPABILITIES
from runtime.ingest.backup_store import BackupStore
from runtime.ingest.dedup_store import CAPABILITIES as DEDUP_CAPABILITIES
from runtime.ingest.dedup_store import DedupStore, StoredState
from runtime.ingest.exceptions import MalformedRecordError
from runtime.ingest.messages import Candidate, message_correlation_id, parse_message, rounds
from runtime.ingest.shaping import Shaper
from runtime.ingest.visibility import CAPABILITIES as VISIBILITY_CAPABILITIES
from runtime.ingest.visibility import Visibility

__all__ = ["CAPABILITIES", "Processor", "handler"]

CAPABILITIES: tuple[Capability, ...] = union(
    DEDUP_CAPABILITIES, BACKUP_CAPABILITIES, VISIBILITY_CAPABILITIES
)

#: The longest one record can take: its S3 put and its DynamoDB write, one attempt each.
RECORD_SECONDS = 2 * ATTEMPT_SECONDS
#: How often a refused write is decided again before the record is retried later.
MAX_DECISIONS = 4

_log = logs.get_logger("ingest.process")


class _Batch:
    """The outcome of each message of one batch: what failed, and how."""

    def __init__(self, messages: Sequence[Mapping[str, Any]]) -> None:
        self.messages = messages
        self.malformed: set[str] = set()
        self.retry: set[str] = set()

    def failures(self) -> list[dict[str, str]]:
        failed = self.malformed | self.retry
        return [
            {"itemIdentifier": str(m.get("messageId", ""))}
            for m in self.messages
            if str(m.get("messageId", "")) in failed
        ]


class Processor:
    """Handles SQS batches for one pipeline with the given stores."""

    def __init__(
        self,
        settings: ProcessingSettings,
        dedup: DedupStore,
        backup: BackupStore,
        metrics: Metrics,
        visibility: Visibility | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.shaper = Shaper(settings.shape)
        self.dedup = dedup
        self.backup = backup
        self.metrics = metrics
        self.visibility = visibility
        self.clock = clock

    def _fail(
        self,
        batch: _Batch,
        message_id: str,
        correlation_id: str,
        reason: str,
        *,
        malformed: bool = False,
    ) -> None:
        (batch.malformed if malformed else batch.retry).add(message_id)
        deferred = reason.startswith("not attempted")
        self.metrics.add("RecordsDeferred" if deferred else "RecordsFailed")
        with logs.bind_correlation_id(correlation_id):
            log = _log.warning if deferred else _log.error
            log("record failed", extra={"fields": {"message_id": message_id, "reason": reason}})

    def _parse(self, batch: _Batch) -> list[Candidate]:
        now_ms = int(self.clock() * 1000)
        candidates: list[Candidate] = []
        for index, message in enumerate(batch.messages):
            try:
                candidate = parse_message(message, index, self.shaper, now_ms=now_ms)
                self.dedup.item(candidate.record)  # over DynamoDB's limits: never storable
                self.backup.object_key(candidate.record.key, candidate.payload)
            except MalformedRecordError as error:
                message_id = str(message.get("messageId", ""))
                cid = message_correlation_id(message)
                self._fail(batch, message_id, cid, f"malformed: {error.reason}", malformed=True)
                continue
            candidates.append(candidate)
        return candidates

    def _write(self, candidate: Candidate) -> tuple[bool, StoredState | None]:
        record = candidate.record
        backup_key = self.backup.put(
            record.key,
            candidate.payload,
            change_hash=record.change_hash,
            observed_at=candidate.position.observed_at,
            correlation_id=candidate.correlation_id,
        )
        result = self.dedup.put(record, position=candidate.position, backup_key=backup_key)
        return result.written, result.current

    def _store(self, candidate: Candidate, stored: StoredState | None) -> str:
        """Store one candidate; returns changed, touched, unchanged or superseded.

        Raises:
            MalformedRecordError: S3 or DynamoDB refused the data as invalid.
            RuntimeError: other writers kept moving the item; the message is retried.
        """
        record, position = candidate.record, candidate.position
        for _ in range(MAX_DECISIONS):
            if stored is not None and stored.position >= position:
                return "unchanged" if stored.change_hash == record.change_hash else "superseded"
            if stored is not None and stored.change_hash == record.change_hash:
                result = self.dedup.touch(record, position=position)
                if result.written:
                    return "touched"
                stored = result.current
                continue
            written, current = self._write(candidate)
            if written:
                return "changed"
            if current == StoredState(record.change_hash, position):
                return "changed"  # an earlier attempt landed; its response was lost
            stored = current
        raise RuntimeError(f"the item kept changing under {MAX_DECISIONS} decisions; retrying")

    def _stopped(self, breaker: CircuitBreaker, deadline: Deadline | None) -> str | None:
        if breaker.open:
            return "not attempted: the circuit breaker stopped this run"
        if deadline is not None and not deadline.allows(RECORD_SECONDS):
            return "not attempted: the invocation's deadline is near"
        return None

    def _one(
        self,
        batch: _Batch,
        candidate: Candidate,
        stored: StoredState | None,
        breaker: CircuitBreaker,
    ) -> None:
        cid = candidate.correlation_id
        try:
            outcome = self._store(candidate, stored)
        except MalformedRecordError as error:
            self._fail(
                batch, candidate.message_id, cid, f"malformed: {error.reason}", malformed=True
            )
            return
        except DeadlineExceededError as error:
            self._fail(batch, candidate.message_id, cid, f"not attempted: {error}")
            return
        except Exception as error:  # the record is the task boundary
            if breaker.record_failure():
                self.metrics.add("BreakerTrips")
                _log.error(
                    "circuit breaker open: stopping this batch",
                    extra={"fields": {"consecutive_failures": breaker.max_consecutive_failures}},
                )
            self._fail(batch, candidate.message_id, cid, f"store failed: {error}")
            return
        if outcome in ("changed", "touched"):
            breaker.record_success()  # only a real write proves the dependencies work
        self.metrics.add(
            {"changed": "RecordsChanged", "superseded": "RecordsSuperseded"}.get(
                outcome, "RecordsUnchanged"
            )
        )
        _log.debug(
            "record " + outcome,
            extra={"fields": {"message_id": candidate.message_id, "key": candidate.record.key}},
        )

    def process(
        self, event: Mapping[str, Any], deadline: Deadline | None = None
    ) -> dict[str, list[dict[str, str]]]:
        """Handle one SQS event; returns the ``batchItemFailures`` response."""
        batch = _Batch(list(event.get("Records") or []))
        with bind_deadline(deadline):
            candidates = self._parse(batch)
            breaker = CircuitBreaker(self.settings.common.stop_max_consecutive_failures)
            for group in rounds(candidates):
                stop = self._stopped(breaker, deadline)
                if stop is not None:
                    for candidate in group:
                        self._fail(batch, candidate.message_id, candidate.correlation_id, stop)
                    continue
                try:
                    current = self.dedup.current([c.record.key for c in group])
                except Exception as error:  # the round is the task boundary for its read
                    deferred = isinstance(error, DeadlineExceededError)
                    if not deferred and breaker.record_failure():
                        self.metrics.add("BreakerTrips")
                    reason = f"not attempted: {error}" if deferred else f"read failed: {error}"
                    for candidate in group:
                        self._fail(batch, candidate.message_id, candidate.correlation_id, reason)
                    continue
                for candidate in group:
                    stop = self._stopped(breaker, deadline)
                    with logs.bind_correlation_id(candidate.correlation_id):
                        if stop is not None:
                            self._fail(batch, candidate.message_id, candidate.correlation_id, stop)
                            continue
                        self._one(batch, candidate, current.get(candidate.record.key), breaker)
        if self.visibility is not None:
            self.visibility.hide(batch.messages, malformed=batch.malformed, retry=batch.retry)
        return {"batchItemFailures": batch.failures()}


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
    visibility = Visibility(client("sqs"))
    return _Wiring(Processor(settings, dedup, backup, metrics, visibility), metrics)


def handler(event: Any, context: Any) -> dict[str, list[dict[str, str]]]:
    """Lambda entry point of the processing function (``runtime.ingest.process.handler``)."""
    global _wiring  # the cold-start cache is module state by design
    if _wiring is None:
        _wiring = cold_start(os.environ)
    wiring = _wiring
    request_id = getattr(context, "aws_request_id", None) or "-"
    started = time.perf_counter()
    with logs.bind_correlation_id(str(request_id)):
        response = wiring.processor.process(event, Deadline.from_context(context))
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
                    "deferred": int(snapshot["RecordsDeferred"]),
                    "failed": len(response["batchItemFailures"]),
                }
            },
        )
    return response
