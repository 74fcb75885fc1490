"""Draining the queue through the processing handler, as Lambda's event source mapping does.

Batches of up to ``batch_size`` messages are received (SQS returns at most 10 per call,
so a batch is gathered over several calls), turned into the SQS event Lambda delivers,
and handed to the handler. With ``ReportBatchItemFailures`` the messages named in
``batchItemFailures`` stay on the queue and everything else is deleted; a handler that
raises fails the whole batch. A failed message is made visible again at once (locally
there is no point waiting out the visibility timeout); once it has been received
``maxReceiveCount`` times, the queue's redrive policy moves it to the DLQ on the next
receive, exactly as the endpoint implements it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from generator.local.invoke import Invocation

__all__ = ["DrainStats", "drain", "lambda_event"]


@dataclass
class DrainStats:
    """What draining did: batches, deliveries, distinct failed messages."""

    batches: int = 0
    deliveries: int = 0
    deleted: int = 0
    failed_messages: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)


def _attribute(value: dict[str, Any]) -> dict[str, Any]:
    kind = str(value.get("DataType", "String"))
    converted: dict[str, Any] = {"stringListValues": [], "binaryListValues": [], "dataType": kind}
    if "StringValue" in value:
        converted["stringValue"] = value["StringValue"]
    if "BinaryValue" in value:
        converted["binaryValue"] = value["BinaryValue"]
    return converted


def lambda_event(messages: list[dict[str, Any]], queue_arn: str, region: str) -> dict[str, Any]:
    """The SQS event Lambda builds from received messages."""
    records = []
    for message in messages:
        body = str(message.get("Body", ""))
        records.append(
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": body,
                "attributes": dict(message.get("Attributes") or {}),
                "messageAttributes": {
                    name: _attribute(value)
                    for name, value in (message.get("MessageAttributes") or {}).items()
                },
                "md5OfBody": message.get("MD5OfBody")
                or hashlib.md5(body.encode(), usedforsecurity=False).hexdigest(),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
        )
    return {"Records": records}


def _receive(sqs: Any, queue_url: str, batch_size: int) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    while len(messages) < batch_size:
        got = sqs.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=min(10, batch_size - len(messages)),
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
            WaitTimeSeconds=0,
        ).get("Messages", [])
        if not got:
            break
        messages.extend(got)
    return messages


def drain(
    sqs: Any,
    *,
    queue_url: str,
    queue_arn: str,
    region: str,
    batch_size: int,
    invoke: Callable[[dict[str, Any]], Invocation],
    on_batch: Callable[[Invocation, DrainStats], None] | None = None,
) -> DrainStats:
    """Deliver every message on the queue to ``invoke`` until the queue is empty."""
    stats = DrainStats()
    while True:
        messages = _receive(sqs, queue_url, batch_size)
        if not messages:
            return stats
        invocation = invoke(lambda_event(messages, queue_arn, region))
        stats.batches += 1
        stats.deliveries += len(messages)
        if invocation.error is not None:
            failed = {m["MessageId"] for m in messages}
            stats.errors.append(f"{type(invocation.error).__name__}: {invocation.error}")
        else:
            failures = (invocation.result or {}).get("batchItemFailures") or []
            failed = {str(f["itemIdentifier"]) for f in failures}
        done = [m for m in messages if m["MessageId"] not in failed]
        retry = [m for m in messages if m["MessageId"] in failed]
        for start in range(0, len(done), 10):
            sqs.delete_message_batch(
                QueueUrl=queue_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                    for i, m in enumerate(done[start : start + 10])
                ],
            )
        for start in range(0, len(retry), 10):
            sqs.change_message_visibility_batch(
                QueueUrl=queue_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
                    for i, m in enumerate(retry[start : start + 10])
                ],
            )
        stats.deleted += len(done)
        stats.failed_messages.update(m["MessageId"] for m in retry)
        if on_batch is not None:
            on_batch(invocation, stats)
