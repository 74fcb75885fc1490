"""Incremental retrieval against a full re-read: pages fetched and DynamoDB writes.

10,000 records in a GitHub-style API (``Link`` pagination, 100 per page, ``since``
filter) on 127.0.0.1; two pipelines on the moto server read them once, 1 % of the
records change, and each reads again: one in full, one incrementally from its
high-water mark. Pages are counted by the source (requests it served), writes on the
wire (botocore ``before-send`` on the dedup store's client: ``PutItem`` and
``UpdateItem``).

The retrieval function is the real :class:`~runtime.ingest.retrieve.Retriever` with the
real HTTP source, paginator and mark store; between it and the real processing
:class:`~runtime.ingest.process.Processor` each page's messages are handed over as SQS
events of 100, as the Lambda poller would, instead of going
through moto's queue: the queue is not what this measures, and draining 20,000 messages
from moto would take longer than everything else.

Run alone: ``.venv/bin/python benchmarks/incremental.py``; ``benchmarks/ingest.py``
prints the same rows with its others.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import boto3  # noqa: E402 - after the path set-up, like every import below

from runtime.core.metrics import PROCESSING, RETRIEVAL, Metrics  # noqa: E402
from runtime.core.retry import Retrier  # noqa: E402
from runtime.core.settings import load_processing, load_retrieval  # noqa: E402
from runtime.ingest.backup_store import BackupStore  # noqa: E402
from runtime.ingest.dedup_store import DedupStore  # noqa: E402
from runtime.ingest.http_source import HttpSource  # noqa: E402
from runtime.ingest.incremental import MarkStore  # noqa: E402
from runtime.ingest.process import Processor  # noqa: E402
from runtime.ingest.queue_sender import SendResult  # noqa: E402
from runtime.ingest.retrieve import Retriever  # noqa: E402
from tests.runtime.api_source import (  # noqa: E402
    ApiBehaviour,
    ApiSource,
    api_source,
    create_state_table,
    incremental_env,
    ticket,
)
from tests.runtime.support import create_pipeline, iter_chunks, sqs_event  # noqa: E402

Row = tuple[str, str, str]
RECORDS = 10_000
PER_PAGE = 100
CHANGED = RECORDS // 100
SHAPE = {
    "key": "ticket_id",
    "fields": {
        "ticket_id": "id",
        "status": "status",
        "title": "title",
        "updated_at": "updated_at",
    },
    "ignore_for_change": ["updated_at"],
}


def restore(source_table: str, target_table: str) -> None:
    """Replace ``target_table`` with a copy of ``source_table`` (a DynamoDB backup)."""
    dynamodb = boto3.client("dynamodb")
    backup = dynamodb.create_backup(TableName=source_table, BackupName=f"{source_table}-copy")
    dynamodb.delete_table(TableName=target_table)
    dynamodb.restore_table_from_backup(
        TargetTableName=target_table, BackupArn=backup["BackupDetails"]["BackupArn"]
    )


class ProcessingHandOver:
    """Stands where SQS is: each page's messages go to the processor as SQS events."""

    def __init__(self, processor: Processor, batch_size: int = 100) -> None:
        self.processor = processor
        self.batch_size = batch_size

    def send(self, bodies: list[str], correlation_id: str) -> SendResult:
        """Process ``bodies`` in batches; every message must succeed."""
        for batch in iter_chunks(bodies, self.batch_size):
            event = sqs_event(list(batch), correlation_id=correlation_id)
            result = self.processor.process(event)
            assert not result["batchItemFailures"], result
        return SendResult(sent=len(bodies))


class Pipeline:
    """One pipeline's retrieval and processing, with its DynamoDB writes counted."""

    def __init__(self, url: str, *, incremental: bool, table_from: str | None = None) -> None:
        aws = create_pipeline(key="ticket_id")
        if table_from is not None:  # start from a copy of another pipeline's table
            restore(table_from, aws.table_name)
        processing = load_processing(aws.processing_env(TRELLIS_SHAPE=json.dumps(SHAPE)))
        retrier = Retrier(processing.common.retry)
        self.writes: Counter[str] = Counter()
        dynamodb = boto3.client("dynamodb")
        dynamodb.meta.events.register("before-send.dynamodb", self._count)
        processor = Processor(
            processing,
            DedupStore(dynamodb, processing.table_name, "ticket_id", retrier),
            BackupStore(
                boto3.client("s3"), processing.backup_bucket, processing.backup_prefix, retrier
            ),
            Metrics({}, PROCESSING, write=lambda _: None),
        )
        source = api_source(
            url, "/github", {"link_header": {}}, query={"per_page": str(PER_PAGE)}, max_pages=1_000
        )
        extra = incremental_env(create_state_table(aws.name)) if incremental else {}
        settings = load_retrieval(aws.retrieval_env(source, **extra))
        marks = (
            MarkStore(boto3.client("dynamodb"), settings.state_table, retrier)
            if settings.incremental is not None
            else None
        )
        self.table_name = processing.table_name
        self.retriever = Retriever(
            settings,
            HttpSource(settings.source, retrier),
            ProcessingHandOver(processor),  # type: ignore[arg-type]
            Metrics({}, RETRIEVAL, write=lambda _: None),
            marks=marks,
        )

    def _count(self, **kwargs: Any) -> None:
        operation = kwargs["event_name"].rsplit(".", 1)[-1]
        if operation in ("PutItem", "UpdateItem"):
            self.writes[operation] += 1

    def run(self, api: ApiBehaviour, name: str) -> tuple[int, int, int]:
        """One retrieval run: pages the source served, item writes (``PutItem``: new or
        changed content) and position updates (``UpdateItem``: same content, seen later)."""
        api.requests.clear()
        self.writes.clear()
        summary = asyncio.run(self.retriever.run(name))
        assert summary.complete, summary
        return len(api.requests), self.writes["PutItem"], self.writes["UpdateItem"]


def bench_incremental() -> list[Row]:
    """Full and incremental second runs over 10,000 records with 1 % changed.

    The first run is made once, incrementally (it stores the mark); the pipeline that
    re-reads in full starts from a copy of the same table, so both second runs meet the
    same stored state.
    """
    api = ApiSource()
    try:
        behaviour = api.reset(ApiBehaviour(records=[ticket(n) for n in range(RECORDS)]))
        incremental = Pipeline(api.url, incremental=True)
        first = incremental.run(behaviour, "first")
        full = Pipeline(api.url, incremental=False, table_from=incremental.table_name)
        changed = list(range(7, RECORDS, RECORDS // CHANGED))
        behaviour.change(changed, status="closed", updated=RECORDS + 3600)
        pages, writes, updates = incremental.run(behaviour, "second-incremental")
        full_pages, full_writes, full_updates = full.run(behaviour, "second-full")
    finally:
        api.stop()
    share = pages / full_pages
    return [
        (
            f"first run, {RECORDS:,} records, {PER_PAGE} per page (Link header)",
            f"{first[0]} pages, {first[1]:,} DynamoDB item writes",
            "-",
        ),
        (
            f"second run in full, {CHANGED} records (1 %) changed",
            f"{full_pages} pages, {full_writes} item writes + {full_updates:,} position updates",
            "(comparison)",
        ),
        (
            "second run, incremental (from the high-water mark)",
            f"{pages} pages ({share:.0%} of the full run), {writes} item writes + "
            f"{updates} position update",
            f"<= 2 % of pages, item writes = {CHANGED}",
        ),
    ]


def main() -> None:
    """Run on a moto server of its own and print the table."""
    from moto.server import ThreadedMotoServer

    from benchmarks.ingest import table
    from tests.runtime.support import aws_environment, free_port

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's access log
    port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    os.environ.update(aws_environment(f"http://127.0.0.1:{port}"))
    try:
        print(table(bench_incremental()))
    finally:
        moto.stop()


if __name__ == "__main__":
    main()
