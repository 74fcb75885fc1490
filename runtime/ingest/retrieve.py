"""The retrieval handler: fetch the source's pages and enqueue their raw records.

``handler(event, context)`` is invoked by EventBridge Scheduler (any event). The event
may carry ``correlation_id`` (a string of letters, digits and ``.:_-``, at most 128
characters); otherwise the Lambda request id is used. Every log line, every queued
message (attribute ``correlation_id``) and, through them, the processing function's log
lines carry it.

Each message body is an envelope
``{"trellis": 1, "observed_at": <ms>, "sequence": "<page>.<index>", "record": <raw>}``;
``observed_at`` is when the page arrived and ``sequence`` the record's place in the walk,
which together order competing writes downstream (:mod:`runtime.ingest.ordering`). A
record that cannot be encoded (``NaN``, a lone surrogate) or is over the queue's 256 KiB
fails alone; the rest of its page is sent and the walk goes on.

The handler returns a summary. It raises :class:`~runtime.ingest.exceptions.RunStoppedError`
when the circuit breaker stopped the run, and
:class:`~runtime.ingest.exceptions.RunIncompleteError` when the run left records behind
(a failed page or record, ``max_pages`` reached, a cursor loop), after logging and
flushing the metrics: the invocation counts as an error, so the error-rate alarm sees
it. The records already enqueued stay enqueued.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from runtime.core import logs
from runtime.core.breaker import CircuitBreaker
from runtime.core.capabilities import Capability, union
from runtime.core.instrument import instrument
from runtime.core.metrics import RETRIEVAL, Metrics
from runtime.core.secret_store import CAPABILITIES as SECRET_CAPABILITIES
from runtime.core.secret_store import SecretStore
from runtime.core.settings import RetrievalSettings, load_retrieval
from runtime.core.stop_switch import CAPABILITIES as STOP_CAPABILITIES
from runtime.core.stop_switch import STOP_PARAMETER_VARIABLE, StopSwitch
from runtime.core.telemetry import memory_limit, telemetry
from runtime.ingest import pagination
from runtime.ingest.checkpoint import CAPABILITIES as CHECKPOINT_CAPABILITIES
from runtime.ingest.checkpoint import (
    CHECKPOINT_PARAMETER_VARIABLE,
    CheckpointStore,
    ResumableWalk,
)
from runtime.ingest.exceptions import RunIncompleteError, RunStoppedError
from runtime.ingest.http_source import HttpSource, redact_url
from runtime.ingest.incremental import CAPABILITIES as INCREMENTAL_CAPABILITIES
from runtime.ingest.incremental import IncrementalRun, MarkStore, format_instant
from runtime.ingest.page_sink import PageSink
from runtime.ingest.queue_sender import CAPABILITIES as QUEUE_CAPABILITIES
from runtime.ingest.queue_sender import QueueSender

__all__ = ["CAPABILITIES", "Retriever", "handler"]

#: The union of what the components wired here call (the secret store only when the
#: source has ``auth``; the generator wires the ``parameter`` resource only then).
CAPABILITIES: tuple[Capability, ...] = union(
    QUEUE_CAPABILITIES,
    SECRET_CAPABILITIES,
    CHECKPOINT_CAPABILITIES,
    STOP_CAPABILITIES,
    INCREMENTAL_CAPABILITIES,
)

_log = logs.get_logger("ingest.retrieve")


def correlation_id_for(event: object, context: object) -> str:
    """The run's correlation id: the event's, else the Lambda request id, else a new one."""
    if isinstance(event, Mapping):
        given = event.get("correlation_id")
        if logs.is_correlation_id(given):
            return given
    request_id = getattr(context, "aws_request_id", None)
    if logs.is_correlation_id(request_id):
        return request_id
    return uuid.uuid4().hex


@dataclass
class RunSummary:
    """What one retrieval run did."""

    correlation_id: str
    pages_fetched: int
    pages_failed: int
    records_fetched: int
    records_enqueued: int
    records_failed: int
    stopped: bool
    truncated: bool = False
    paused: bool = False
    resumed_from: str | None = None
    high_water_mark: str | int | None = None

    @property
    def complete(self) -> bool:
        """True if every record the source offered was enqueued."""
        return not (self.pages_failed or self.records_failed or self.truncated or self.stopped)

    def as_dict(self) -> dict[str, object]:
        """The summary as the handler's JSON result."""
        return dict(self.__dict__)


class Retriever:
    """One retrieval run: walk the pages, send each page's records to the queue."""

    def __init__(
        self,
        settings: RetrievalSettings,
        source: HttpSource,
        sender: QueueSender,
        metrics: Metrics,
        *,
        clock: Callable[[], float] = time.time,
        checkpoints: CheckpointStore | None = None,
        stop_switch: StopSwitch | None = None,
        marks: MarkStore | None = None,
    ) -> None:
        self.settings = settings
        self.source = source
        self.sender = sender
        self.metrics = metrics
        self.clock = clock
        self.checkpoints = checkpoints
        self.stop_switch = stop_switch
        self.marks = marks
        if settings.incremental is not None and marks is None:
            raise ValueError("an incremental source needs a MarkStore")

    def _begin(self) -> IncrementalRun | None:
        """Read the high-water mark and give the source this run's parameters."""
        started = datetime.fromtimestamp(self.clock(), UTC)
        incremental = self.settings.incremental
        if incremental is None or self.marks is None:
            self.source.prepare_run({}, {"now": format_instant(started)})
            return None
        run = IncrementalRun(incremental, self.marks, now=lambda: started)
        since = run.begin()
        params = {incremental.param: since} if incremental.param else {}
        self.source.prepare_run(params, run.templates(since))
        _log.info(
            "incremental run",
            extra={"fields": {"since": since, "stored_mark": run.start_mark}},
        )
        return run

    def _commit(self, run: IncrementalRun | None, summary: RunSummary) -> None:
        """Advance the mark, only when every page of the run was enqueued."""
        if run is None:
            return
        if run.unreadable:
            self.metrics.add("MarksUnreadable", run.unreadable)
        if not summary.complete:
            _log.warning(
                "high-water mark not advanced: the run was incomplete",
                extra={"fields": {"mark": run.start_mark}},
            )
            return
        summary.high_water_mark = run.commit(summary.correlation_id)
        if summary.high_water_mark is not None:
            self.metrics.add("MarkAdvanced")

    async def run(self, correlation_id: str) -> RunSummary:
        """Fetch and enqueue everything; never raises for a page's failure."""
        if self.stop_switch is not None and self.stop_switch.engaged():
            _log.warning(
                "run skipped: the pipeline is paused",
                extra={"fields": {"parameter": self.stop_switch.parameter}},
            )
            return RunSummary(correlation_id, 0, 0, 0, 0, 0, stopped=False, paused=True)
        loop = asyncio.get_running_loop()
        # to_thread's default pool has min(32, cpus + 4) threads: too few for concurrency 16
        # on a 2-vCPU function. Size it so every permitted request (and its send) has a thread.
        executor = ThreadPoolExecutor(max_workers=self.settings.concurrency * 2 + 2)
        loop.set_default_executor(executor)
        incremental = await asyncio.to_thread(self._begin)
        holds_before = self.source.limiter.holds
        sink = PageSink(self.sender, correlation_id, self.clock, incremental)
        resumable = None
        if self.checkpoints is not None:
            resumable = ResumableWalk(self.checkpoints, correlation_id)
        try:
            walked = await self._walk(sink, resumable)
        finally:
            executor.shutdown(wait=False)
        if resumable is not None:
            resumable.finish()
        summary = self._summarise(correlation_id, walked, sink, resumable)
        holds = self.source.limiter.holds - holds_before
        if holds:
            self.metrics.add("RateLimitHolds", holds)
        self._commit(incremental, summary)
        return summary

    async def _walk(self, sink: PageSink, resumable: ResumableWalk | None) -> pagination.WalkResult:
        """Walk the source's pages into ``sink``, from the checkpoint when resuming."""
        source = self.settings.source
        walk_pagination = source.pagination
        fetch: pagination.Fetch = self.source.fetch
        if resumable is not None:
            walk_pagination, fetch = resumable.begin(walk_pagination, fetch)
        return await pagination.walk(
            walk_pagination,
            max_pages=source.max_pages,
            concurrency=self.settings.concurrency,
            fetch=fetch,
            sink=sink,
            breaker=CircuitBreaker(self.settings.common.stop_max_consecutive_failures),
            on_failure=_page_failed,
            source_url=source.url,
            allowed_origins=source.allowed_origins,
        )

    def _summarise(
        self,
        correlation_id: str,
        walked: pagination.WalkResult,
        sink: PageSink,
        resumable: ResumableWalk | None,
    ) -> RunSummary:
        """The run's summary, with its metrics added and a truncated walk logged."""
        self.metrics.add("PagesFetched", walked.pages_fetched)
        self.metrics.add("PagesFailed", walked.pages_failed)
        self.metrics.add("RecordsFetched", sink.fetched)
        self.metrics.add("RecordsEnqueued", sink.enqueued)
        self.metrics.add("RecordsFailed", sink.failed)
        if walked.stopped:
            self.metrics.add("BreakerTrips")
        if walked.truncated:
            self.metrics.add("MaxPagesReached")
            _log.warning(
                "max_pages reached: records were left unfetched",
                extra={"fields": {"max_pages": self.settings.source.max_pages}},
            )
        return RunSummary(
            correlation_id=correlation_id,
            pages_fetched=walked.pages_fetched,
            pages_failed=walked.pages_failed,
            records_fetched=sink.fetched,
            records_enqueued=sink.enqueued,
            records_failed=sink.failed,
            stopped=walked.stopped,
            truncated=walked.truncated,
            resumed_from=None if resumable is None else _resumed(resumable),
        )


def _page_failed(number: int, error: BaseException) -> None:
    """Log a page that failed for good (with its traceback when it was not an HTTP error)."""
    _log.error(
        "page failed",
        exc_info=not hasattr(error, "reason") and not hasattr(error, "attempts"),
        extra={"fields": {"page": number, "reason": str(error)}},
    )


def _resumed(resumable: ResumableWalk) -> str | None:
    start = resumable.resumed_from
    if start.page is not None:
        return f"page {start.page}"
    return None if start.cursor is None else f"cursor {start.cursor}"


@dataclass
class _Wiring:
    settings: RetrievalSettings
    retriever: Retriever
    metrics: Metrics


_wiring: _Wiring | None = None


def cold_start(env: Mapping[str, str]) -> _Wiring:
    """Read settings, configure logs and metrics, create clients and components.

    Raises:
        SettingsError: an environment variable is missing or invalid.
    """
    from runtime.core.aws import client  # boto3 is loaded here, not at import time

    settings = load_retrieval(env)
    common = settings.common
    metrics, retrier = instrument(common, RETRIEVAL, _log)
    pool = settings.concurrency * 2 + 2
    control = (CHECKPOINT_PARAMETER_VARIABLE, STOP_PARAMETER_VARIABLE)
    needs_ssm = settings.source.auth is not None or any(env.get(name) for name in control)
    ssm = client("ssm") if needs_ssm else None
    secrets = SecretStore(ssm, retrier) if settings.source.auth is not None else None
    source = HttpSource(settings.source, retrier, secrets)
    sender = QueueSender(client("sqs", max_pool_connections=pool), settings.queue_url, retrier)
    marks = (
        MarkStore(client("dynamodb"), settings.state_table, retrier)
        if settings.state_table is not None
        else None
    )
    retriever = Retriever(
        settings,
        source,
        sender,
        metrics,
        checkpoints=CheckpointStore.from_environment(env, ssm, retrier),
        stop_switch=StopSwitch.from_environment(env, ssm, retrier),
        marks=marks,
    )
    return _Wiring(settings, retriever, metrics)


def handler(event: Any, context: Any) -> dict[str, object]:
    """Lambda entry point of the retrieval function (``runtime.ingest.retrieve.handler``)."""
    global _wiring  # the cold-start cache is module state by design
    if _wiring is None:
        _wiring = cold_start(os.environ)
    wiring = _wiring
    cid = correlation_id_for(event, context)
    started = time.perf_counter()
    with logs.bind_correlation_id(cid):
        _log.info("run started", extra={"fields": {"url": redact_url(wiring.settings.source.url)}})
        summary = asyncio.run(wiring.retriever.run(cid))
        wiring.metrics.set("Duration", round((time.perf_counter() - started) * 1000, 3))
        wiring.metrics.flush()
        telemetry.flush(wiring.metrics.dimensions, memory_limit(context))
        level = "info" if summary.complete else "error"
        getattr(_log, level)("run finished", extra={"fields": summary.as_dict()})
        if summary.stopped:
            raise RunStoppedError(
                f"stopped after {wiring.settings.common.stop_max_consecutive_failures} "
                "consecutive page failures"
            )
        if not summary.complete:
            raise RunIncompleteError(
                f"run {cid} left records behind: {summary.pages_failed} pages failed, "
                f"{summary.records_failed} records not enqueued, "
                f"max_pages reached: {summary.truncated}"
            )
    return summary.as_dict()
