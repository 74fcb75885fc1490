"""The queue sender: raw records onto the pipeline's SQS queue, ten at a time.

Messages go out in ``SendMessageBatch`` calls of at most 10 entries and at most 256 KiB
(the queue's limits). Each carries the correlation id as the message attribute
``correlation_id``. A batch call can partly fail: entries that failed on AWS's side
(``SenderFault`` false: throttling, internal errors) are sent again with backoff, alone;
entries AWS rejects as the sender's fault, entries still failing when retries run out,
and single messages over the size limit are returned as failures with a reason — never
dropped silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from runtime.core.aws import classify_aws_error
from runtime.core.capabilities import Capability
from runtime.core.exceptions import RetryExhaustedError
from runtime.core.retry import Retrier

__all__ = ["CAPABILITIES", "MAX_BATCH_BYTES", "MAX_BATCH_ENTRIES", "QueueSender", "SendResult"]

CAPABILITIES: tuple[Capability, ...] = (
    # SendMessageBatch is authorised by sqs:SendMessage; there is no separate action.
    Capability(component="ingest.queue_sender", resource="queue", actions=("sqs:SendMessage",)),
)

MAX_BATCH_ENTRIES = 10
MAX_BATCH_BYTES = 256 * 1024


@dataclass
class SendResult:
    """How many messages were accepted, and each one that was not, with why."""

    sent: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)


class _RetryableEntriesError(Exception):
    """Some entries of a batch failed on AWS's side; they are sent again."""


class QueueSender:
    """Sends message bodies to ``queue_url`` through ``sqs_client``."""

    def __init__(self, sqs_client: Any, queue_url: str, retrier: Retrier) -> None:
        self._sqs = sqs_client
        self.queue_url = queue_url
        self._retrier = retrier

    @staticmethod
    def _size(body: str, correlation_id: str) -> int:
        return (
            len(body.encode("utf-8"))
            + len("correlation_id")
            + len("String")
            + len(correlation_id.encode("utf-8"))
        )

    def _batches(
        self, bodies: Sequence[str], correlation_id: str, result: SendResult
    ) -> list[list[int]]:
        batches: list[list[int]] = []
        current: list[int] = []
        current_bytes = 0
        for index, body in enumerate(bodies):
            size = self._size(body, correlation_id)
            if size > MAX_BATCH_BYTES:
                result.failed.append(
                    (index, f"message of {size} bytes exceeds the queue's {MAX_BATCH_BYTES}")
                )
                continue
            if len(current) == MAX_BATCH_ENTRIES or current_bytes + size > MAX_BATCH_BYTES:
                batches.append(current)
                current, current_bytes = [], 0
            current.append(index)
            current_bytes += size
        if current:
            batches.append(current)
        return batches

    def send(self, bodies: Sequence[str], correlation_id: str) -> SendResult:
        """Send every body; the result lists the indexes in ``bodies`` that were not sent."""
        result = SendResult()
        attributes = {"correlation_id": {"DataType": "String", "StringValue": correlation_id}}
        for batch in self._batches(bodies, correlation_id, result):
            pending = list(batch)

            def attempt() -> None:
                nonlocal pending
                response = self._sqs.send_message_batch(
                    QueueUrl=self.queue_url,
                    Entries=[
                        {"Id": str(i), "MessageBody": bodies[i], "MessageAttributes": attributes}
                        for i in pending
                    ],
                )
                result.sent += len(response.get("Successful", []))
                retry: list[int] = []
                for failure in response.get("Failed", []):
                    index = int(failure["Id"])
                    if failure.get("SenderFault"):
                        result.failed.append(
                            (index, f"{failure.get('Code')}: {failure.get('Message', '')}")
                        )
                    else:
                        retry.append(index)
                pending = retry
                if retry:
                    raise _RetryableEntriesError(f"{len(retry)} entries failed on AWS's side")

            try:
                self._retrier.call(
                    "sqs.SendMessageBatch",
                    attempt,
                    lambda e: isinstance(e, _RetryableEntriesError) or classify_aws_error(e),
                )
            except RetryExhaustedError as error:
                result.failed.extend((i, str(error)) for i in pending)
        return result
