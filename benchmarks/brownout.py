"""Benchmark: a 30-minute DynamoDB/S3 brownout under a queued backlog; what reaches the DLQ?

A backlog of messages (1 % malformed) waits on the queue when DynamoDB and S3 start
timing out every call for 30 minutes. The processing function — the runtime's own
``Processor`` with real boto3 clients against moto in server mode — is polled like the
generated event source mapping does it (``maximum_concurrency`` 5, batch size 25,
function timeout 60 s, queue visibility 360 s, ``maxReceiveCount`` 5, the blueprint's
default retry policy and stop threshold), on simulated time:
a timed-out call costs its 8 s of client timeouts on the invocation's fake clock, a
retry's backoff is added to it, and nothing sleeps for real. After the brownout moto
answers again and the run continues until the queue is empty.

Three configurations are compared, each on a fresh pipeline:

- **issue-22 runtime**: deadline-bounded retries and visibility backoff by receive count;
- **without visibility backoff**: failed messages come back after the queue's 360 s, so
  their receives are spent five per half hour;
- **neither**: no deadline, no backoff, and the clients' earlier timeouts (connect 5 s,
  read 10 s): retries run until Lambda kills the invocation at 60 s and the whole batch
  comes back after 360 s — how the runtime behaved before issue 22.

Run: ``.venv/bin/python benchmarks/brownout.py [messages]`` (default 500; about a minute).
"""

from __future__ import annotations

import heapq
import io
import json
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from moto.server import ThreadedMotoServer  # noqa: E402

from runtime.core import logs  # noqa: E402
from runtime.core.aws import ATTEMPT_SECONDS  # noqa: E402
from runtime.core.deadline import Deadline  # noqa: E402
from runtime.core.metrics import PROCESSING, Metrics  # noqa: E402
from runtime.core.retry import Retrier, set_test_mode  # noqa: E402
from runtime.core.settings import load_processing  # noqa: E402
from runtime.ingest.backup_store import BackupStore  # noqa: E402
from runtime.ingest.dedup_store import DedupStore  # noqa: E402
from runtime.ingest.process import Processor  # noqa: E402
from runtime.ingest.visibility import Visibility  # noqa: E402
from tests.runtime.model import (  # noqa: E402
    CallFaults,
    FakeClock,
    FaultPlan,
    Interleaver,
    Invocation,
    ModelQueue,
    VisibilityClient,
)
from tests.runtime.support import aws_environment, create_pipeline, free_port, order  # noqa: E402

START = 1_790_000_000.0
BROWNOUT_SECONDS = 30 * 60
POLLERS = 5
BATCH_SIZE = 25
TIMEOUT = 60.0
MAX_RECEIVE_COUNT = 5
#: The blueprint's default retry policy (spec.retry).
RETRY = {"max_attempts": 5, "base_delay_ms": 200, "max_delay_ms": 20_000}


@dataclass
class Outcome:
    """What one configuration did with the backlog."""

    name: str
    messages: int
    malformed: int
    stored: int
    dead_valid: int
    dead_malformed: int
    invocations: int
    killed: int
    drained_after: float
    max_receives: int


def backlog(count: int) -> tuple[list[str], set[int]]:
    """``count`` message bodies, every hundredth malformed; the malformed indexes."""
    bodies, malformed = [], set()
    for index in range(count):
        if index % 100 == 99:
            bodies.append('{"trellis":1,"observed_at":1,"record":{"status":"no id"}}')
            malformed.add(index)
            continue
        record = order(index)
        bodies.append(json.dumps({"trellis": 1, "observed_at": 1_000, "record": record}))
    return bodies, malformed


def replay(
    name: str, count: int, *, backoff: bool, deadline: bool, timeout_seconds: float
) -> Outcome:
    """Run the brownout for one configuration; returns its outcome."""
    pipeline = create_pipeline()
    settings = load_processing(
        pipeline.processing_env(
            TRELLIS_RETRY=json.dumps(RETRY), TRELLIS_STOP_MAX_CONSECUTIVE_FAILURES="5"
        )
    )
    clock = FakeClock(START)
    queue = ModelQueue(clock, MAX_RECEIVE_COUNT)
    visibility = VisibilityClient(queue)
    bodies, malformed_indexes = backlog(count)
    ids = [queue.send(body) for body in bodies]
    malformed = {ids[i] for i in malformed_indexes}
    pollers: list[tuple[float, int, Processor, CallFaults]] = []
    for number in range(POLLERS):
        faults = CallFaults(number, Interleaver(random.Random(number)))

        def on_wait(seconds: float, faults: CallFaults = faults) -> None:
            if faults.invocation is not None:
                faults.invocation.clock.advance(seconds)

        retrier = Retrier(settings.common.retry, attempt_seconds=ATTEMPT_SECONDS, on_wait=on_wait)
        processor = Processor(
            settings,
            DedupStore(faults.client("dynamodb"), settings.table_name, "order_id", retrier),
            BackupStore(
                faults.client("s3"), settings.backup_bucket, settings.backup_prefix, retrier
            ),
            Metrics({}, PROCESSING, write=lambda _: None),
            Visibility(visibility) if backoff else None,
            clock=clock,
        )
        pollers.append((START, number, processor, faults))
    heapq.heapify(pollers)
    invocations = killed = stored = 0
    max_receives = 0
    while queue.messages:
        free_at, number, processor, faults = heapq.heappop(pollers)
        clock.now = max(clock.now, free_at)
        visible = queue.visible()
        if not visible:
            upcoming = queue.next_visible_at()
            assert upcoming is not None
            heapq.heappush(pollers, (max(upcoming, clock.now), number, processor, faults))
            continue
        records = queue.receive(visible[:BATCH_SIZE])
        if not records:
            heapq.heappush(pollers, (clock.now, number, processor, faults))
            continue
        invocations += 1
        max_receives = max(
            max_receives, *(int(r["attributes"]["ApproximateReceiveCount"]) for r in records)
        )
        invocation = Invocation(FakeClock(clock.now), timeout=TIMEOUT)
        in_brownout = clock.now < START + BROWNOUT_SECONDS
        faults.plan = FaultPlan(
            mode="slow" if in_brownout else "none", timeout_seconds=timeout_seconds
        )
        faults.invocation = invocation
        limit = Deadline(invocation.get_remaining_time_in_millis) if deadline else None
        received_at = clock.now
        response = processor.process({"Records": records}, limit)
        faults.invocation = None
        if invocation.elapsed > TIMEOUT:  # Lambda kills it: the whole batch returns later
            killed += 1
            for record in records:
                message = queue.messages.get(record["messageId"])
                if message is not None:
                    message.visible_at = received_at + 360
            heapq.heappush(pollers, (received_at + TIMEOUT, number, processor, faults))
            continue
        failed = {f["itemIdentifier"] for f in response["batchItemFailures"]}
        stored += sum(1 for r in records if r["messageId"] not in failed)
        queue.acknowledge(records, failed)
        heapq.heappush(pollers, (clock.now + invocation.elapsed, number, processor, faults))
    dead = {m.message_id for m in queue.dead}
    return Outcome(
        name=name,
        messages=count,
        malformed=len(malformed),
        stored=stored,
        dead_valid=len(dead - malformed),
        dead_malformed=len(dead & malformed),
        invocations=invocations,
        killed=killed,
        drained_after=clock.now - START,
        max_receives=max_receives,
    )


def table(outcomes: list[Outcome]) -> str:
    """The outcomes as a fixed-width table."""
    header = (
        "configuration",
        "messages",
        "stored",
        "DLQ: valid",
        "DLQ: malformed",
        "invocations (killed)",
        "queue empty after",
    )
    rows = [header] + [
        (
            o.name,
            f"{o.messages} ({o.malformed} malformed)",
            str(o.stored),
            str(o.dead_valid),
            f"{o.dead_malformed} of {o.malformed}",
            f"{o.invocations} ({o.killed})",
            f"{o.drained_after / 60:.0f} min",
        )
        for o in outcomes
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> None:
    """Replay the brownout for each configuration and print the table."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    os.environ.update(aws_environment(f"http://127.0.0.1:{port}"))
    set_test_mode(True)  # waits are charged to the fake clocks, never slept
    logs.configure(
        level="ERROR", blueprint="b", environment="e", function="p", stream=io.StringIO()
    )
    started = time.perf_counter()
    try:
        outcomes = [
            replay(
                "issue-22 runtime",
                count,
                backoff=True,
                deadline=True,
                timeout_seconds=ATTEMPT_SECONDS,
            ),
            replay(
                "without visibility backoff",
                count,
                backoff=False,
                deadline=True,
                timeout_seconds=ATTEMPT_SECONDS,
            ),
            replay(
                "neither (as before: 5 s + 10 s client timeouts)",
                count,
                backoff=False,
                deadline=False,
                timeout_seconds=15.0,
            ),
        ]
    finally:
        moto.stop()
    print(
        f"30-minute brownout of DynamoDB and S3 (every call times out), backlog on the queue; "
        f"{POLLERS} concurrent pollers, batch {BATCH_SIZE}, timeout {TIMEOUT:.0f} s, "
        f"visibility 360 s, maxReceiveCount {MAX_RECEIVE_COUNT}; simulated time"
    )
    print(table(outcomes))
    print(
        f"goal: DLQ holds only malformed messages; wall clock {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
