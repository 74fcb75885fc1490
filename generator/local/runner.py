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
    resources = target.resources
    spec: Any = deployment.spec
    cid = f"local-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{uuid.uuid4().hex[:6]}"
    summary = RunSummary(stack=deployment.key, correlation_id=cid)
    records = (
        load_records(options.source_file, spec.source.http.records_path)
        if options.source_file is not None
        else None
    )
    saved = state_path(options.root, deployment.target.env, deployment.blueprint)
    log_file = saved.with_suffix(".log")
    counter = CallCounter()
    all_lines: list[str] = []

    with start_local_aws(deployment.target.region) as aws:
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

        created = create_resources(deployment, client)
        for line in created.lines(resources):
            announce(line)
        key = str(spec.shape.key)
        if not options.fresh:
            summary.restored_items, _ = load_state(
                saved, client, table=created.table_name, bucket=created.bucket, key=key
            )
            if summary.restored_items:
                announce(f"restored   {summary.restored_items} items from {saved}")
        count_handler_calls(counter)
        local_env = aws.environment()

        if resources.retrieve is not None:
            source = None
            if records is not None:
                source = LocalSource(
                    records,
                    json.loads(target.function_environment("retrieve")["TRELLIS_SOURCE"]),
                    page_size=options.page_size,
                    secret=PLACEHOLDER_SECRET,
                )
                url = source.url
                announce(f"source     {url} ({len(records)} records from {options.source_file})")
            else:
                url = str(options.source_url or spec.source.http.url)
                announce(f"source     {url}")
            retrieve = LocalFunction(
                resources.retrieve,
                environment={
                    **local_env,
                    "TRELLIS_QUEUE_URL": created.queue_url,
                    "TRELLIS_SOURCE": json.dumps(_source_settings(target, url, options.pages)),
                },
                logs_client=client("logs"),
            )
            progress.update("retrieving", url)
            try:
                invocation = retrieve.invoke({"correlation_id": cid})
            finally:
                if source is not None:
                    source.stop()
            all_lines.extend(invocation.lines)
            result = invocation.result or run_finished_fields(invocation.lines)
            summary.pages = int(result.get("pages_fetched", 0))
            summary.pages_failed = int(result.get("pages_failed", 0))
            summary.fetched = int(result.get("records_fetched", 0))
            summary.enqueued = int(result.get("records_enqueued", 0))
            if invocation.error is not None:
                summary.retrieval_error = f"{type(invocation.error).__name__}: {invocation.error}"
            summary.telemetry["retrieve"] = telemetry_peaks([invocation])
            progress.done(
                "retrieved",
                f"{summary.pages} pages, {summary.fetched} records enqueued"
                + (f", {summary.pages_failed} pages failed" if summary.pages_failed else ""),
            )
        elif records is not None:
            summary.fetched = summary.enqueued = _send_directly(
                client, created.queue_url, records, cid
            )
            progress.done("enqueued", f"{summary.enqueued} records (queue-triggered pipeline)")

        process = LocalFunction(
            resources.process, environment=local_env, logs_client=client("logs")
        )
        invocations: list[Invocation] = []

        def on_batch(invocation: Invocation, stats: DrainStats) -> None:
            invocations.append(invocation)
            totals = metric_totals(invocations)
            progress.update(
                "processing",
                f"batch {stats.batches}: {stats.deliveries} delivered, "
                f"{int(totals.get('RecordsChanged', 0))} changed, "
                f"{int(totals.get('RecordsUnchanged', 0))} unchanged, "
                f"{len(stats.failed_messages)} failed",
            )

        stats = drain(
            client("sqs"),
            queue_url=created.queue_url,
            queue_arn=created.queue_arn,
            region=aws.region,
            batch_size=int(spec.processing.batch_size),
            invoke=process.invoke,
            on_batch=on_batch,
        )
        for invocation in invocations:
            all_lines.extend(invocation.lines)
        totals = metric_totals(invocations)
        summary.changed = int(totals.get("RecordsChanged", 0))
        summary.unchanged = int(totals.get("RecordsUnchanged", 0))
        summary.superseded = int(totals.get("RecordsSuperseded", 0))
        summary.failed = len(stats.failed_messages)
        summary.batches = stats.batches
        summary.telemetry["process"] = telemetry_peaks(invocations)
        summary.telemetry = {k: v for k, v in summary.telemetry.items() if v}
        attributes = client("sqs").get_queue_attributes(
            QueueUrl=created.dlq_url, AttributeNames=["ApproximateNumberOfMessages"]
        )
        summary.in_dlq = int(attributes["Attributes"]["ApproximateNumberOfMessages"])
        progress.done(
            "processed",
            f"{stats.batches} batches, {stats.deliveries} deliveries, "
            f"{summary.failed} messages failed, {summary.in_dlq} in the DLQ",
        )
        summary.dynamodb_reads = counter.get("reads")
        summary.dynamodb_items_read = counter.get("items_read")
        summary.dynamodb_writes = counter.get("writes")
        summary.dynamodb_position_updates = counter.get("position_updates")
        summary.s3_versions_written = counter.get("versions")
        summary.throttled_calls = counter.get("throttled")
        summary.s3_versions_total = sum(
            len(page.get("Versions", []))
            for page in client("s3")
            .get_paginator("list_object_versions")
            .paginate(Bucket=created.bucket)
        )
        save_state(saved, client, table=created.table_name, bucket=created.bucket, key=key)
        log_file.parent.mkdir(parents=True, exist_ok=True)
        log_file.write_text("\n".join(all_lines) + "\n", encoding="utf-8")
        summary.log_file = str(log_file)
        summary.duration_seconds = round(time.monotonic() - started, 2)
        if on_ready is not None:
            on_ready(aws, created, summary)
    return summary
