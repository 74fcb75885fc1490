"""Parts of the model-based test: a scheduler for AWS calls, faults, a queue on simulated time.

Nothing here replaces the code under test: the processors are the runtime's own
:class:`~runtime.ingest.process.Processor` with real boto3 clients against moto in server
mode. What the model controls is everything around them:

- :class:`Interleaver` runs several invocations on threads but lets exactly one of them
  make progress between two AWS calls, and picks which one from a seeded random source:
  the interleaving of calls is chosen by the test and reproduced from its seed;
- :class:`CallFaults` is a botocore hook that, per call, injects throttling, a 500, a
  timeout before the request reaches moto, or a timeout *after* it landed (a lost
  response), and charges each call's duration to the invocation's fake clock;
- :class:`ModelQueue` is an SQS standard queue on simulated time: receive counts,
  visibility timeouts (and the processor's changes to them, through
  :class:`VisibilityClient`), redrive to a dead-letter list after ``max_receive_count``.
"""

from __future__ import annotations

import functools
import json
import random
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import ReadTimeoutError

from runtime.core.aws import ATTEMPT_SECONDS

QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:model-records"
DEFAULT_VISIBILITY = 360.0


class Interleaver:
    """Runs jobs on threads, one at a time between AWS calls, in a seeded order."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cond = threading.Condition()
        self.state: dict[int, str] = {}

    def gate(self, instance: int) -> None:
        """Called by instance ``instance`` before each AWS call: wait for its turn."""
        with self.cond:
            if instance not in self.state:
                return  # not running under the interleaver
            self.state[instance] = "waiting"
            self.cond.notify_all()
            self.cond.wait_for(lambda: self.state[instance] == "running")

    def run(self, jobs: Sequence[Callable[[], Any]]) -> list[Any]:
        """Run ``jobs`` to completion; each result, or the exception a job raised."""
        results: list[Any] = [None] * len(jobs)

        def body(index: int) -> None:
            with self.cond:
                self.cond.wait_for(lambda: self.state[index] == "running")
            try:
                results[index] = jobs[index]()
            except BaseException as error:  # reported to the test, which fails on it
                results[index] = error
            finally:
                with self.cond:
                    self.state[index] = "done"
                    self.cond.notify_all()

        with self.cond:
            self.state = dict.fromkeys(range(len(jobs)), "waiting")
        threads = [threading.Thread(target=body, args=(i,), daemon=True) for i in range(len(jobs))]
        for thread in threads:
            thread.start()
        while True:
            with self.cond:
                self.cond.wait_for(lambda: "running" not in self.state.values(), timeout=60)
                assert "running" not in self.state.values(), "an invocation hung"
                waiting = [i for i, s in sorted(self.state.items()) if s == "waiting"]
                if not waiting:
                    break
                self.state[self.rng.choice(waiting)] = "running"
                self.cond.notify_all()
        for thread in threads:
            thread.join()
        with self.cond:
            self.state = {}
        return results


class FakeClock:
    """Simulated seconds since the epoch; advanced by the test, never by waiting."""

    def __init__(self, now: float) -> None:
        self.now = now
        self.lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds``."""
        with self.lock:
            self.now += seconds


@dataclass
class Invocation:
    """One processor invocation's simulated time and Lambda timeout."""

    clock: FakeClock
    timeout: float = 60.0
    started: float = 0.0

    def __post_init__(self) -> None:
        self.started = self.clock.now

    def get_remaining_time_in_millis(self) -> int:
        """What the Lambda context reports."""
        return int((self.started + self.timeout - self.clock.now) * 1000)

    @property
    def elapsed(self) -> float:
        """Simulated seconds since the invocation started."""
        return self.clock.now - self.started


@dataclass
class FaultPlan:
    """What goes wrong with one instance's calls during one delivery."""

    mode: str = "none"  # none | flaky | slow | lost
    rate: float = 0.3
    #: what a timed-out call costs (the runtime's clients: ATTEMPT_SECONDS)
    timeout_seconds: float = ATTEMPT_SECONDS
    rng: random.Random = field(default_factory=lambda: random.Random(0))


def _error(service: str, status: int, code: str) -> tuple[int, dict[str, str], bytes]:
    if service == "dynamodb":
        body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": "x"})
        return status, {"Content-Type": "application/x-amz-json-1.0"}, body.encode()
    xml = f"<Error><Code>{code}</Code><Message>injected</Message></Error>"
    return status, {"Content-Type": "application/xml"}, xml.encode()


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: object) -> Any:
        """The body in one chunk."""
        yield self._body


class CallFaults:
    """Per-instance botocore hooks: the interleaver's gate, injected faults, simulated latency."""

    WRITES = frozenset({"PutItem", "UpdateItem", "PutObject"})

    def __init__(self, instance: int, interleaver: Interleaver) -> None:
        self.instance = instance
        self.interleaver = interleaver
        self.plan = FaultPlan()
        self.invocation: Invocation | None = None
        self.injected: list[str] = []

    def client(self, service: str) -> Any:
        """A client like the runtime's (no botocore retries) with these hooks attached."""
        config = Config(retries={"total_max_attempts": 1})
        client = boto3.client(service, config=config)
        client.meta.events.register(
            f"before-send.{service}", functools.partial(self._before_send, service=service)
        )
        client.meta.events.register(f"after-call.{service}", self._after_call)
        return client

    def _spend(self, seconds: float) -> None:
        if self.invocation is not None:
            self.invocation.clock.advance(seconds)

    def _before_send(self, request: Any, service: str, **kwargs: Any) -> AWSResponse | None:
        self.interleaver.gate(self.instance)
        operation = kwargs["event_name"].rsplit(".", 1)[-1]
        plan = self.plan
        if plan.mode == "slow":  # a brownout: every call times out
            self._spend(plan.timeout_seconds)
            self.injected.append(f"{operation}:timeout")
            raise ReadTimeoutError(endpoint_url=request.url)
        self._spend(0.02)
        if plan.mode != "flaky" or plan.rng.random() >= plan.rate:
            return None
        kind = plan.rng.randrange(3)
        self.injected.append(f"{operation}:{kind}")
        if kind == 2:
            self._spend(ATTEMPT_SECONDS)
            raise ReadTimeoutError(endpoint_url=request.url)
        status, headers, body = (
            _error(service, 400, "ProvisionedThroughputExceededException")
            if service == "dynamodb" and kind == 0
            else _error(service, 503, "SlowDown")
            if kind == 0
            else _error(service, 500, "InternalServerError")
        )
        return AWSResponse(request.url, status, headers, _Raw(body))

    def _after_call(self, **kwargs: Any) -> None:
        operation = kwargs["event_name"].rsplit(".", 1)[-1]
        plan = self.plan
        if plan.mode != "lost" or operation not in self.WRITES:
            return
        if kwargs["http_response"].status_code >= 300 or plan.rng.random() >= plan.rate:
            return
        self.injected.append(f"{operation}:lost")
        self._spend(ATTEMPT_SECONDS)
        raise ReadTimeoutError(endpoint_url="lost-response")


@dataclass
class Message:
    """A message on the model queue."""

    message_id: str
    body: str
    sent_at: float
    receive_count: int = 0
    visible_at: float = 0.0
    handles: set[str] = field(default_factory=set)


class ModelQueue:
    """An SQS standard queue on simulated time, with a redrive policy."""

    def __init__(self, clock: FakeClock, max_receive_count: int) -> None:
        self.clock = clock
        self.max_receive_count = max_receive_count
        self.messages: dict[str, Message] = {}
        self.dead: list[Message] = []
        self.by_handle: dict[str, Message] = {}

    def send(self, body: str) -> str:
        """Enqueue ``body``; returns the message id."""
        message_id = str(uuid.uuid4())
        self.messages[message_id] = Message(message_id, body, self.clock.now, 0, self.clock.now)
        return message_id

    def visible(self) -> list[Message]:
        """Messages that can be received now, oldest first."""
        now = self.clock.now
        return sorted(
            (m for m in self.messages.values() if m.visible_at <= now),
            key=lambda m: (m.sent_at, m.message_id),
        )

    def next_visible_at(self) -> float | None:
        """When the next hidden message becomes visible (None when the queue is empty)."""
        return min((m.visible_at for m in self.messages.values()), default=None)

    def receive(self, chosen: Sequence[Message]) -> list[dict[str, Any]]:
        """Receive ``chosen`` (a message may be in two batches: at-least-once delivery)."""
        records = []
        for message in chosen:
            if message.message_id not in self.messages:
                continue
            if message.receive_count >= self.max_receive_count:
                del self.messages[message.message_id]
                self.dead.append(message)
                continue
            message.receive_count += 1
            message.visible_at = self.clock.now + DEFAULT_VISIBILITY
            handle = uuid.uuid4().hex
            message.handles.add(handle)
            self.by_handle[handle] = message
            records.append(
                {
                    "messageId": message.message_id,
                    "receiptHandle": handle,
                    "body": message.body,
                    "attributes": {
                        "ApproximateReceiveCount": str(message.receive_count),
                        "SentTimestamp": str(int(message.sent_at * 1000)),
                    },
                    "messageAttributes": {
                        "correlation_id": {"stringValue": "model", "dataType": "String"}
                    },
                    "eventSource": "aws:sqs",
                    "eventSourceARN": QUEUE_ARN,
                    "awsRegion": "us-east-1",
                }
            )
        return records

    def acknowledge(self, records: Sequence[dict[str, Any]], failed: set[str]) -> None:
        """Delete what succeeded (the Lambda poller's part of the contract)."""
        for record in records:
            if record["messageId"] not in failed:
                self.messages.pop(record["messageId"], None)


class VisibilityClient:
    """The two things :class:`~runtime.ingest.visibility.Visibility` uses of an SQS client."""

    class _Meta:
        endpoint_url = "https://sqs.us-east-1.amazonaws.com"

    meta = _Meta()

    def __init__(self, queue: ModelQueue) -> None:
        self.queue = queue
        self.calls = 0

    def change_message_visibility_batch(
        self, QueueUrl: str, Entries: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """Apply each entry's visibility timeout from now."""
        assert QueueUrl.endswith("/123456789012/model-records"), QueueUrl
        self.calls += 1
        for entry in Entries:
            message = self.queue.by_handle.get(entry["ReceiptHandle"])
            if message is not None:
                message.visible_at = self.queue.clock.now + entry["VisibilityTimeout"]
        return {"Successful": [{"Id": e["Id"]} for e in Entries], "Failed": []}
