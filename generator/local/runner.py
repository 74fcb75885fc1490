"""One local run of an ingestion pipeline: resources, retrieval, processing, summary.

:func:`run_pipeline` is what ``trellis run`` calls. It needs nothing but moto: AWS APIs
are served on 127.0.0.1, the source is a records file served over local HTTP (or a URL
the user gives), and the handlers are the real ones from ``runtime/``, with the settings
the generator renders for the function. What the run measured and prints is
:mod:`generator.local.summary`.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.local.aws import LocalAws, start_local_aws
from generator.local.event_source import DrainStats, drain
from generator.local.invoke import Invocation, LocalFunction
from generator.local.progress import Progress
from generator.local.resources import PLACEHOLDER_SECRET, LocalResources, create_resources
from generator.local.source import LocalSource, load_records
from generator.local.state import load_state, save_state, state_path
from generator.local.summary import (
    CallCounter,
    RunSummary,
    count_handler_calls,
    metric_totals,
    run_finished_fields,
    telemetry_peaks,
)
from generator.ops.target import PipelineTarget

__all__ = ["RunOptions", "RunSummary", "run_pipeline"]


@dataclass(frozen=True)
class RunOptions:
    """What ``trellis run`` was asked to do."""

    root: Path
    source_file: Path | None = None
    source_url: str | None = None
    pages: int | None = None
    page_size: int = 20
    keep: bool = False
    fresh: bool = False


def _source_settings(target: PipelineTarget, url: str, pages: int | None) -> dict[str, Any]:
    source: dict[str, Any] = json.loads(target.function_environment("retrieve")["TRELLIS_SOURCE"])
    source["url"] = url
    if pages is not None:
        source["max_pages"] = pages
    return source


def _send_directly(client: Any, queue_url: str, records: list[object], cid: str) -> int:
    """A queue-triggered pipeline has no retrieval: records go on the queue as producers send."""
    sqs = client("sqs")
    for start in range(0, len(records), 10):
        sqs.send_message_batch(
            QueueUrl=queue_url,
            Entries=[
                {
                    "Id": str(i),
                    "MessageBody": json.dumps(record, separators=(",", ":")),
                    "MessageAttributes": {
                        "correlation_id": {"DataType": "String", "StringValue": cid}
                    },
                }
                for i, record in enumerate(records[start : start + 10])
            ],
        )
    return len(records)


def run_pipeline(
    target: PipelineTarget,
    options: RunOptions,
    *,
    progress: Progress,
    announce: Callable[[str], None],
    on_ready: Callable[[LocalAws, LocalResources, RunSummary], None] | None = None,
) -> RunSummary:
    """Run ``target`` locally once and return its summary.

    ``announce`` receives the lines naming what was created; ``on_ready`` is called with
    the finished summary while the endpoint is still up (``--keep`` waits there).

    Raises:
        UserError: moto is missing, the records file is unusable, or the saved state
            does not fit the blueprint.
    """
    started = time.monotonic()
    deployment = target.deployment
    spec: Any = deployment.spec
    cid = f"local-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{uuid.uuid4().hex[:6]}"
    summary = RunSummary(stack=deployment.key, correlation_id=cid)
    records = (
        load_records(options.source_file, spec.source.http.records_path)
        if options.source_file is not None
        else None
    )
    saved = state_path(options.root, deployment.target.env, deployment.blueprint)
    counter = CallCounter()
    with start_local_aws(deployment.target.region) as aws:
        client = _client_factory(aws)
        created = create_resources(deployment, client)
        for line in created.lines(target.resources):
            announce(line)
        key = str(spec.shape.key)
        if not options.fresh:
            summary.restored_items, _ = load_state(
                saved, client, table=created.table_name, bucket=created.bucket, key=key
            )
            if summary.restored_items:
                announce(f"restored   {summary.restored_items} items from {saved}")
        count_handler_calls(counter)
        run = _Run(target, options, aws, client, created, summary, progress, announce)
        lines = run.retrieve(records) + run.process()
        _count_calls(summary, counter, client("s3"), created.bucket)
        save_state(saved, client, table=created.table_name, bucket=created.bucket, key=key)
        log_file = saved.with_suffix(".log")
        log_file.parent.mkdir(parents=True, exist_ok=True)
        log_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        summary.log_file = str(log_file)
        summary.duration_seconds = round(time.monotonic() - started, 2)
        if on_ready is not None:
            on_ready(aws, created, summary)
    return summary


def _client_factory(aws: LocalAws) -> Callable[[str], Any]:
    """boto3 clients of the local endpoint, one per service, made on first use."""
    import boto3

    session = boto3.Session(
        aws_access_key_id="local",
        aws_secret_access_key="local",  # noqa: S106 - moto's placeholder
        aws_session_token="local",  # noqa: S106 - moto's placeholder
        region_name=aws.region,
    )
    clients: dict[str, Any] = {}

    def client(service: str) -> Any:
        if service not in clients:
            clients[service] = session.client(service, endpoint_url=aws.endpoint_url)
        return clients[service]

    return client


@dataclass
class _Run:
    """The two stages of one run over created resources; each returns its log lines."""

    target: PipelineTarget
    options: RunOptions
    aws: LocalAws
    client: Callable[[str], Any]
    created: LocalResources
    summary: RunSummary
    progress: Progress
    announce: Callable[[str], None]

    def retrieve(self, records: list[object] | None) -> list[str]:
        """Run the retrieve function against the records' local source (or the URL), or put
        the records straight on the queue of a queue-triggered pipeline."""
        summary = self.summary
        spec: Any = self.target.deployment.spec
        if self.target.resources.retrieve is None:
            if records is not None:
                summary.fetched = summary.enqueued = _send_directly(
                    self.client, self.created.queue_url, records, summary.correlation_id
                )
                self.progress.done(
                    "enqueued", f"{summary.enqueued} records (queue-triggered pipeline)"
                )
            return []
        source = None
        if records is not None:
            source = LocalSource(
                records,
                json.loads(self.target.function_environment("retrieve")["TRELLIS_SOURCE"]),
                page_size=self.options.page_size,
                secret=PLACEHOLDER_SECRET,
            )
            url = source.url
            self.announce(
                f"source     {url} ({len(records)} records from {self.options.source_file})"
            )
        else:
            url = str(self.options.source_url or spec.source.http.url)
            self.announce(f"source     {url}")
        function = LocalFunction(
            self.target.resources.retrieve,
            environment={
                **self.aws.environment(),
                "TRELLIS_QUEUE_URL": self.created.queue_url,
                "TRELLIS_SOURCE": json.dumps(
                    _source_settings(self.target, url, self.options.pages)
                ),
            },
            logs_client=self.client("logs"),
        )
        self.progress.update("retrieving", url)
        try:
            invocation = function.invoke({"correlation_id": summary.correlation_id})
        finally:
            if source is not None:
                source.stop()
        result = invocation.result or run_finished_fields(invocation.lines)
        summary.pages = int(result.get("pages_fetched", 0))
        summary.pages_failed = int(result.get("pages_failed", 0))
        summary.fetched = int(result.get("records_fetched", 0))
        summary.enqueued = int(result.get("records_enqueued", 0))
        if invocation.error is not None:
            summary.retrieval_error = f"{type(invocation.error).__name__}: {invocation.error}"
        summary.telemetry["retrieve"] = telemetry_peaks([invocation])
        self.progress.done(
            "retrieved",
            f"{summary.pages} pages, {summary.fetched} records enqueued"
            + (f", {summary.pages_failed} pages failed" if summary.pages_failed else ""),
        )
        return list(invocation.lines)

    def process(self) -> list[str]:
        """Drain the queue through the process function as Lambda's event source would."""
        spec: Any = self.target.deployment.spec
        function = LocalFunction(
            self.target.resources.process,
            environment=self.aws.environment(),
            logs_client=self.client("logs"),
        )
        invocations: list[Invocation] = []

        def on_batch(invocation: Invocation, stats: DrainStats) -> None:
            invocations.append(invocation)
            totals = metric_totals(invocations)
            self.progress.update(
                "processing",
                f"batch {stats.batches}: {stats.deliveries} delivered, "
                f"{int(totals.get('RecordsChanged', 0))} changed, "
                f"{int(totals.get('RecordsUnchanged', 0))} unchanged, "
                f"{len(stats.failed_messages)} failed",
            )

        stats = drain(
            self.client("sqs"),
            queue_url=self.created.queue_url,
            queue_arn=self.created.queue_arn,
            region=self.aws.region,
            batch_size=int(spec.processing.batch_size),
            invoke=function.invoke,
            on_batch=on_batch,
        )
        summary = self.summary
        totals = metric_totals(invocations)
        summary.changed = int(totals.get("RecordsChanged", 0))
        summary.unchanged = int(totals.get("RecordsUnchanged", 0))
        summary.superseded = int(totals.get("RecordsSuperseded", 0))
        summary.failed = len(stats.failed_messages)
        summary.batches = stats.batches
        summary.telemetry["process"] = telemetry_peaks(invocations)
        summary.telemetry = {k: v for k, v in summary.telemetry.items() if v}
        attributes = self.client("sqs").get_queue_attributes(
            QueueUrl=self.created.dlq_url, AttributeNames=["ApproximateNumberOfMessages"]
        )
        summary.in_dlq = int(attributes["Attributes"]["ApproximateNumberOfMessages"])
        self.progress.done(
            "processed",
            f"{stats.batches} batches, {stats.deliveries} deliveries, "
            f"{summary.failed} messages failed, {summary.in_dlq} in the DLQ",
        )
        return [line for invocation in invocations for line in invocation.lines]


def _count_calls(summary: RunSummary, counter: CallCounter, s3: Any, bucket: str) -> None:
    """What the handlers' AWS calls cost, and the bucket's versions after the run."""
    summary.dynamodb_reads = counter.get("reads")
    summary.dynamodb_items_read = counter.get("items_read")
    summary.dynamodb_writes = counter.get("writes")
    summary.dynamodb_position_updates = counter.get("position_updates")
    summary.s3_versions_written = counter.get("versions")
    summary.throttled_calls = counter.get("throttled")
    summary.s3_versions_total = sum(
        len(page.get("Versions", []))
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket)
    )
