"""Benchmarks of the ingestion runtime; prints a table (goals in the last column).

1. DynamoDB requests per 1,000 records when 90 % are unchanged: trellis's dedup store
   against Powertools for AWS Lambda's idempotency utility, same records, same moto
   server. Calls are counted on the wire (botocore ``before-send``), not estimated.
2. Retrieval of 200 pages at 50 ms latency, concurrency 16 vs 1 (a local HTTP source
   in its own process; pages are discarded, see :func:`bench_retrieval`).
3. Incremental retrieval: pages fetched and DynamoDB writes of a full and an incremental
   second run over 10,000 records with 1 % changed (:mod:`benchmarks.incremental`).
4. Import time of each handler with boto3 already imported (the Lambda runtime's SDK).
5. Bundle size, and two builds in different directories compared by sha256.

Run: ``.venv/bin/python benchmarks/ingest.py`` (a few minutes, most of them the 10,000
records of the incremental benchmark going through moto; needs PyPI once for the
bundle's two wheels, then pip's cache).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import boto3  # noqa: E402 - after the path set-up, like every import below
from moto.server import ThreadedMotoServer  # noqa: E402

from benchmarks.incremental import bench_incremental  # noqa: E402
from generator.bundle import build_runtime_bundle  # noqa: E402
from runtime.core.breaker import CircuitBreaker  # noqa: E402
from runtime.core.metrics import PROCESSING, Metrics  # noqa: E402
from runtime.core.retry import Retrier  # noqa: E402
from runtime.core.settings import load_processing, load_retrieval  # noqa: E402
from runtime.ingest import pagination  # noqa: E402
from runtime.ingest.backup_store import BackupStore  # noqa: E402
from runtime.ingest.dedup_store import DedupStore  # noqa: E402
from runtime.ingest.http_source import HttpSource, Page  # noqa: E402
from runtime.ingest.process import Processor  # noqa: E402
from tests.runtime.support import (  # noqa: E402
    aws_environment,
    create_pipeline,
    envelope,
    free_port,
    page_source,
    sqs_event,
)

Row = tuple[str, str, str]


def counting_client(service: str, counter: Counter[str]) -> Any:
    """A boto3 client that counts each request it sends, by operation."""
    client = boto3.client(service)

    def count(**kwargs: Any) -> None:
        counter[kwargs["event_name"].rsplit(".", 1)[-1]] += 1

    client.meta.events.register(f"before-send.{service}", count)
    return client


def records(version: int) -> list[dict[str, Any]]:
    """1,000 records; in version 2, 90 % differ only in updated_at, 10 % in status."""
    out = []
    for n in range(1000):
        status = "refunded" if version == 2 and n % 10 == 0 else "paid"
        out.append(
            {
                "id": f"A-{n:05d}",
                "status": status,
                "amount": {"total": n},
                "updated_at": f"v{version}",
            }
        )
    return out


def bench_trellis_dedup(batch_size: int) -> Counter[str]:
    """DynamoDB requests of the second pass through trellis's processing handler."""
    pipeline = create_pipeline()
    settings = load_processing(pipeline.processing_env())
    counter: Counter[str] = Counter()
    retrier = Retrier(settings.common.retry)
    processor = Processor(
        settings,
        DedupStore(counting_client("dynamodb", counter), settings.table_name, "order_id", retrier),
        BackupStore(boto3.client("s3"), settings.backup_bucket, settings.backup_prefix, retrier),
        Metrics({}, PROCESSING, write=lambda _: None),
    )
    for version in (1, 2):
        counter.clear()
        bodies = [envelope(r, observed_at=version) for r in records(version)]
        for start in range(0, len(bodies), batch_size):
            result = processor.process(sqs_event(bodies[start : start + batch_size]))
            assert not result["batchItemFailures"]
    return counter


def bench_powertools() -> tuple[Counter[str], Counter[str]]:
    """Requests of the second pass with Powertools' idempotency utility: (idempotency, data)."""
    from aws_lambda_powertools.utilities.idempotency import (
        DynamoDBPersistenceLayer,
        IdempotencyConfig,
        idempotent_function,
    )

    ddb = boto3.client("dynamodb")
    suffix = os.urandom(4).hex()
    for name, key in ((f"pt-idem-{suffix}", "id"), (f"pt-data-{suffix}", "order_id")):
        ddb.create_table(
            TableName=name,
            AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
            KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )
    counter: Counter[str] = Counter()
    persistence = DynamoDBPersistenceLayer(
        table_name=f"pt-idem-{suffix}", boto3_client=counting_client("dynamodb", counter)
    )
    data_counter: Counter[str] = Counter()
    data_client = counting_client("dynamodb", data_counter)
    # The idempotency key is the record's meaningful content, like trellis's change hash.
    config = IdempotencyConfig(event_key_jmespath="[id, status, amount.total]")

    @idempotent_function(
        data_keyword_argument="record", persistence_store=persistence, config=config
    )
    def store(record: dict[str, Any]) -> dict[str, str]:
        data_client.put_item(
            TableName=f"pt-data-{suffix}",
            Item={"order_id": {"S": record["id"]}, "status": {"S": record["status"]}},
        )
        return {"stored": record["id"]}

    for version in (1, 2):
        counter.clear()
        data_counter.clear()
        for record in records(version):
            store(record=record)
    return counter, data_counter


async def fetch_only(http: HttpSource, paging: Any, concurrency: int) -> pagination.WalkResult:
    """Walk the pages with a sink that discards them: the HTTP side alone."""

    async def discard(number: int, page: Page) -> None:
        return None

    pool = ThreadPoolExecutor(max_workers=concurrency * 2 + 2)
    asyncio.get_running_loop().set_default_executor(pool)
    return await pagination.walk(
        paging,
        max_pages=200,
        concurrency=concurrency,
        fetch=http.fetch,
        sink=discard,
        breaker=CircuitBreaker(5),
        on_failure=lambda n, e: None,
    )


_SOURCE_PROCESS = """
import sys
from tests.runtime.support import SourceBehaviour, SourceServer
server = SourceServer()
server.reset(SourceBehaviour(total=2000, latency=0.05))
print(server.url, flush=True)
sys.stdin.read()
"""


def bench_retrieval() -> Row:
    """200 pages at 50 ms from a source in its own process, concurrency 1 vs 16.

    The source runs in a separate interpreter so its request handling does not compete
    for this process's GIL. Pages go to a sink that discards them: enqueueing to moto's
    SQS would measure moto (each of its calls scans the whole queue), not the runtime.
    """
    server = subprocess.Popen(
        [sys.executable, "-c", _SOURCE_PROCESS],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        source = page_source(url, size=10, max_pages=200)
        timings: dict[int, float] = {}
        for concurrency in (1, 16):
            env = create_pipeline().retrieval_env(source, TRELLIS_CONCURRENCY=str(concurrency))
            settings = load_retrieval(env)
            http = HttpSource(settings.source, Retrier(settings.common.retry))
            samples = []
            for _ in range(3):  # best of three: the machine is shared
                started = time.perf_counter()
                walked = asyncio.run(fetch_only(http, settings.source.pagination, concurrency))
                samples.append(time.perf_counter() - started)
                assert walked.pages_fetched == 200, walked
            timings[concurrency] = min(samples)
    finally:
        server.terminate()
        server.wait()
    return (
        "retrieval, 200 pages @ 50 ms: concurrency 1 / 16 (best of 3)",
        f"{timings[1]:.2f} s / {timings[16]:.2f} s = {timings[1] / timings[16]:.1f}x",
        ">= 12x",
    )


def import_time(module: str, runs: int = 7) -> float:
    """Best-of-``runs`` milliseconds to import ``module`` after boto3 (fresh interpreters)."""
    code = (
        "import time, boto3, botocore.session, botocore.config\n"
        f"t = time.perf_counter(); import {module}; print((time.perf_counter() - t) * 1000)"
    )
    samples = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout
        samples.append(float(out.strip()))
    return min(samples)


def table(rows: list[Row]) -> str:
    """A fixed-width text table."""
    header: Row = ("measure", "result", "goal")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    line = "  ".join("-" * w for w in widths)

    def fmt(row: Row) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))

    return "\n".join([fmt(header), line, *(fmt(r) for r in rows)])


def main() -> None:
    """Run every benchmark and print the table."""
    port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    endpoint = f"http://127.0.0.1:{port}"
    os.environ.update(aws_environment(endpoint))
    os.environ.setdefault("AWS_LAMBDA_FUNCTION_NAME", "bench")
    # Powertools warns that it has no Lambda context to read the remaining time from.
    warnings.filterwarnings("ignore", message="Couldn't determine the remaining time left")
    rows: list[Row] = []
    try:
        for batch in (100, 25):
            calls = bench_trellis_dedup(batch)
            rows.append(
                (
                    f"trellis dedup, 1,000 records 90 % unchanged, SQS batch {batch}",
                    f"{calls['PutItem']} item writes + {calls['UpdateItem']} position updates, "
                    f"{calls['BatchGetItem']} read calls",
                    "<= 100 item writes, <= 10 reads",
                )
            )
        calls, data = bench_powertools()
        writes = calls["PutItem"] + calls["UpdateItem"] + data["PutItem"]
        rows.append(
            (
                "Powertools idempotency, same records",
                f"{writes} writes ({calls['PutItem']} PutItem + {calls['UpdateItem']} UpdateItem "
                f"for idempotency, {data['PutItem']} data PutItem), "
                f"{calls['GetItem'] + data['GetItem']} read calls",
                "(comparison)",
            )
        )
        rows.append(bench_retrieval())
        rows += bench_incremental()
    finally:
        moto.stop()

    for module in ("runtime.ingest.process", "runtime.ingest.retrieve"):
        rows.append(
            (f"import {module} (boto3 already loaded)", f"{import_time(module):.1f} ms", "<= 30 ms")
        )
    rows.append(
        (
            "import stamina (deferred to the first AWS/HTTP call)",
            f"{import_time('stamina'):.1f} ms",
            "-",
        )
    )

    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as two:
        first = build_runtime_bundle(Path(one) / "cache")
        second = build_runtime_bundle(Path(two) / "other" / "cache")
    rows.append(
        (
            "bundle zip size (boto3 from the Lambda runtime)",
            f"{len(first.data) / 1024:.1f} KiB",
            "<= 128 KiB",
        )
    )
    rows.append(
        (
            "two builds in different directories",
            f"{first.sha256[:16]}… == {second.sha256[:16]}…: {first.sha256 == second.sha256}",
            "identical",
        )
    )
    print(table(rows))


if __name__ == "__main__":
    main()
