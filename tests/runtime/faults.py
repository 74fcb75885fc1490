"""Client-side fault injection for botocore, and a small SQS event source for tests.

:class:`FaultInjector` hooks botocore's ``before-send`` event: for a chosen fraction of
calls it answers in place of the server with the error AWS would send (DynamoDB
throttling or a 500, S3 ``SlowDown`` or a 500, or a ``BatchGetItem`` whose keys all
come back unprocessed). The request never reaches moto, exactly like a throttled call.
The runtime's code is untouched: the faulty clients are passed into its components'
constructors like any client.

:class:`EventSourceMapping` plays Lambda's SQS poller against the moto queue: receive up
to a batch, invoke, delete what succeeded, make what failed visible again at once (as if
its visibility timeout expired). The queue's redrive policy then moves a message that was
received ``maxReceiveCount`` times to the dead-letter queue.
"""

from __future__ import annotations

import functools
import json
import random
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse
from botocore.config import Config


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: object) -> Any:
        """The body in one chunk, as urllib3 would stream it."""
        yield self._body


def _dynamodb_error(status: int, code: str) -> tuple[int, dict[str, str], bytes]:
    body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": "injected"})
    headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": uuid.uuid4().hex}
    return status, headers, body.encode()


def _s3_error(status: int, code: str) -> tuple[int, dict[str, str], bytes]:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<Error><Code>{code}</Code><Message>injected</Message></Error>"
    )
    return status, {"Content-Type": "application/xml"}, body.encode()


class FaultInjector:
    """Fails ``rate`` of the calls of the clients it is attached to, reproducibly."""

    def __init__(self, rate: float, seed: int) -> None:
        self.rate = rate
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        self.injected: Counter[str] = Counter()
        self.enabled = True

    def client(self, service: str) -> Any:
        """A client like the runtime's (no botocore retries) with this injector attached."""
        client = boto3.client(service, config=Config(retries={"total_max_attempts": 1}))
        client.meta.events.register(
            f"before-send.{service}", functools.partial(self._before_send, service=service)
        )
        return client

    def _before_send(self, request: Any, service: str, **kwargs: Any) -> AWSResponse | None:
        operation = kwargs["event_name"].rsplit(".", 1)[-1]
        with self.lock:
            self.calls[operation] += 1
            if not self.enabled or self.random.random() >= self.rate:
                return None
            kind = self.random.randrange(3)
            self.injected[operation] += 1
        if service == "dynamodb":
            if operation == "BatchGetItem" and kind == 2:
                requested = json.loads(request.body)["RequestItems"]
                body = json.dumps({"Responses": {}, "UnprocessedKeys": requested}).encode()
                status, headers = 200, {"Content-Type": "application/x-amz-json-1.0"}
            else:
                status, headers, body = (
                    _dynamodb_error(400, "ProvisionedThroughputExceededException")
                    if kind != 1
                    else _dynamodb_error(500, "InternalServerError")
                )
        else:
            status, headers, body = (
                _s3_error(503, "SlowDown") if kind != 1 else _s3_error(500, "InternalError")
            )
        return AWSResponse(request.url, status, headers, _Raw(body))


def _lambda_record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    """An SQS API message in the shape the Lambda poller delivers it."""
    attributes = {
        k: v
        for k, v in message.get("Attributes", {}).items()
        if k
        in (
            "ApproximateReceiveCount",
            "SentTimestamp",
            "SenderId",
            "ApproximateFirstReceiveTimestamp",
        )
    }
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": attributes,
        "messageAttributes": {
            name: {"stringValue": value.get("StringValue"), "dataType": value["DataType"]}
            for name, value in message.get("MessageAttributes", {}).items()
        },
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": "us-east-1",
    }


class EventSourceMapping:
    """Lambda's SQS poller, for one queue and one handler function."""

    def __init__(
        self,
        queue_url: str,
        handler: Callable[[dict[str, Any]], dict[str, Any]],
        batch_size: int,
    ) -> None:
        self.sqs = boto3.client("sqs")
        self.queue_url = queue_url
        self.queue_arn = self.sqs.get_queue_attributes(
            QueueUrl=queue_url, AttributeNames=["QueueArn"]
        )["Attributes"]["QueueArn"]
        self.handler = handler
        self.batch_size = batch_size
        self.invocations = 0

    def send(self, bodies: list[str], correlation_id: str) -> None:
        """Put messages on the queue (what the retrieval function does)."""
        attributes = {"correlation_id": {"DataType": "String", "StringValue": correlation_id}}
        for start in range(0, len(bodies), 10):
            chunk = bodies[start : start + 10]
            response = self.sqs.send_message_batch(
                QueueUrl=self.queue_url,
                Entries=[
                    {"Id": str(i), "MessageBody": b, "MessageAttributes": attributes}
                    for i, b in enumerate(chunk)
                ],
            )
            assert not response.get("Failed")

    def feed(self, bodies: list[str], correlation_id: str, chunk: int = 500) -> None:
        """Send ``bodies`` a chunk at a time, running the poller dry after each chunk.

        moto's SQS scans every queued message on each call, so a queue kept short keeps
        the test fast; Lambda would be polling while producers send anyway.
        """
        for start in range(0, len(bodies), chunk):
            self.send(bodies[start : start + chunk], correlation_id)
            self.run_until_empty()

    def dead_letters(self) -> list[tuple[str, str]]:
        """(message id, body) of every message the redrive policy moved to the DLQ."""
        dlq_url = self.sqs.get_queue_url(
            QueueName=self.queue_url.rsplit("/", 1)[-1].replace("-records", "-dlq")
        )["QueueUrl"]
        messages = []
        handles = []
        while batch := self.sqs.receive_message(
            QueueUrl=dlq_url, MaxNumberOfMessages=10, VisibilityTimeout=300
        ).get("Messages", []):
            messages.extend((m["MessageId"], m["Body"]) for m in batch)
            handles.extend(m["ReceiptHandle"] for m in batch)
        for start in range(0, len(handles), 10):  # visible again: reading is not draining
            self.sqs.change_message_visibility_batch(
                QueueUrl=dlq_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": handle, "VisibilityTimeout": 0}
                    for i, handle in enumerate(handles[start : start + 10])
                ],
            )
        return messages

    def _receive_batch(self) -> list[dict[str, Any]]:
        batch: list[dict[str, Any]] = []
        while len(batch) < self.batch_size:
            received = self.sqs.receive_message(
                QueueUrl=self.queue_url,
                MaxNumberOfMessages=min(10, self.batch_size - len(batch)),
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
                VisibilityTimeout=300,
            ).get("Messages", [])
            if not received:
                break
            batch.extend(received)
        return batch

    def run_until_empty(self) -> None:
        """Poll, invoke and acknowledge until the queue has nothing left to deliver."""
        while batch := self._receive_batch():
            event = {"Records": [_lambda_record(m, self.queue_arn) for m in batch]}
            self.invocations += 1
            response = self.handler(event)
            failed = {f["itemIdentifier"] for f in response["batchItemFailures"]}
            done = [m for m in batch if m["MessageId"] not in failed]
            retry = [m for m in batch if m["MessageId"] in failed]
            for start in range(0, len(done), 10):
                self.sqs.delete_message_batch(
                    QueueUrl=self.queue_url,
                    Entries=[
                        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                        for i, m in enumerate(done[start : start + 10])
                    ],
                )
            for start in range(0, len(retry), 10):
                self.sqs.change_message_visibility_batch(
                    QueueUrl=self.queue_url,
                    Entries=[
                        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
                        for i, m in enumerate(retry[start : start + 10])
                    ],
                )


class InMemoryEventSourceMapping:
    """Lambda's SQS poller over an in-memory queue with SQS's redrive semantics.

    moto's SQS scans its whole queue on every call (40 to 100 ms a call on a loaded 2-core
    machine), which would turn 10,000 messages into many minutes. This queue keeps the
    same contract the handler sees — batches of Lambda-shaped records with
    ``ApproximateReceiveCount``, deletion of the records not in ``batchItemFailures``,
    redelivery of the rest, and a move to the dead-letter list on the receive that would
    exceed ``max_receive_count`` — without the scan. :class:`EventSourceMapping` runs the
    same scenario against moto's real queue at a smaller size.
    """

    def __init__(
        self,
        handler: Callable[[dict[str, Any]], dict[str, Any]],
        batch_size: int,
        max_receive_count: int,
    ) -> None:
        self.handler = handler
        self.batch_size = batch_size
        self.max_receive_count = max_receive_count
        self.queue: list[dict[str, Any]] = []
        self.dead: list[dict[str, Any]] = []
        self.invocations = 0

    def feed(self, bodies: list[str], correlation_id: str, chunk: int = 500) -> None:
        """Enqueue ``bodies`` and deliver until nothing is left."""
        for index, body in enumerate(bodies):
            self.queue.append(
                {
                    "messageId": str(uuid.uuid4()),
                    "receiptHandle": f"rh-{index}",
                    "body": body,
                    "attributes": {
                        "ApproximateReceiveCount": "0",
                        "SentTimestamp": str(1_000 + index),
                    },
                    "messageAttributes": {
                        "correlation_id": {"stringValue": correlation_id, "dataType": "String"}
                    },
                    "eventSource": "aws:sqs",
                    "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:in-memory",
                    "awsRegion": "us-east-1",
                }
            )
        self.run_until_empty()

    def run_until_empty(self) -> None:
        """Deliver batches until the queue is empty."""
        while self.queue:
            batch: list[dict[str, Any]] = []
            while self.queue and len(batch) < self.batch_size:
                message = self.queue.pop(0)
                count = int(message["attributes"]["ApproximateReceiveCount"])
                if count >= self.max_receive_count:
                    self.dead.append(message)
                    continue
                message["attributes"]["ApproximateReceiveCount"] = str(count + 1)
                batch.append(message)
            if not batch:
                continue
            self.invocations += 1
            response = self.handler({"Records": json.loads(json.dumps(batch))})
            failed = {f["itemIdentifier"] for f in response["batchItemFailures"]}
            self.queue.extend(m for m in batch if m["messageId"] in failed)

    def dead_letters(self) -> list[tuple[str, str]]:
        """(message id, body) of every dead-lettered message."""
        return [(m["messageId"], m["body"]) for m in self.dead]
