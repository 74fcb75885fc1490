"""When a failed message comes back: backoff by receive count, malformed ones at once.

SQS counts a receive whenever the Lambda poller hands a message to the function, whether
or not the function gets to it. With a fixed visibility timeout, ``maxReceiveCount``
receives pass in ``maxReceiveCount × visibility`` (5 × 360 s = 30 minutes), so a
30-minute brownout of DynamoDB or S3 (or a bad deploy) would move the whole backlog to
the dead-letter queue. After each batch the processing function therefore changes the
visibility of the messages it reports as failed (``ChangeMessageVisibilityBatch``):

- a message that failed for a *transient* reason (a dependency kept failing, the circuit
  breaker stopped the batch, the deadline was near) is hidden for
  :func:`backoff_seconds` of its receive count: 60 s, 3 min, 9 min, 27 min, 81 min, …
  (at most 12 hours, SQS's limit), so its five receives span over two hours;
- a *malformed* message is made visible again at once (0 s): it can never succeed, and
  it reaches the dead-letter queue after ``maxReceiveCount`` quick receives instead of
  waiting out the visibility timeout each time.

Changing visibility is best effort: a failure (an expired receipt handle, throttling) is
logged and the message simply returns after the queue's own visibility timeout.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from runtime.core import logs
from runtime.core.capabilities import Capability

__all__ = ["CAPABILITIES", "MAX_VISIBILITY_SECONDS", "Visibility", "backoff_seconds"]

CAPABILITIES: tuple[Capability, ...] = (
    # ChangeMessageVisibilityBatch is authorised by sqs:ChangeMessageVisibility.
    Capability(
        component="ingest.visibility", resource="queue", actions=("sqs:ChangeMessageVisibility",)
    ),
)

BASE_SECONDS = 60
FACTOR = 3
MAX_VISIBILITY_SECONDS = 12 * 60 * 60
_log = logs.get_logger("ingest.visibility")


def backoff_seconds(receive_count: int) -> int:
    """How long a message that failed on receive ``receive_count`` (1-based) stays hidden."""
    exponent = max(0, receive_count - 1)
    if exponent > 12:
        return MAX_VISIBILITY_SECONDS
    return int(min(MAX_VISIBILITY_SECONDS, BASE_SECONDS * FACTOR**exponent))


def queue_url_from_arn(arn: str, endpoint_url: str) -> str:
    """The queue URL for ``arn`` (``arn:aws:sqs:<region>:<account>:<name>``) at an endpoint."""
    parts = arn.split(":")
    if len(parts) != 6 or parts[2] != "sqs":
        raise ValueError(f"{arn!r} is not an SQS queue ARN")
    return f"{endpoint_url.rstrip('/')}/{parts[4]}/{parts[5]}"


class Visibility:
    """Changes the visibility of an event's failed messages through ``sqs_client``."""

    def __init__(self, sqs_client: Any) -> None:
        self._sqs = sqs_client

    def hide(
        self,
        messages: Sequence[Mapping[str, Any]],
        *,
        malformed: Iterable[str],
        retry: Iterable[str],
    ) -> None:
        """Set each failed message's visibility; never raises."""
        malformed, retry = set(malformed), set(retry)
        by_queue: dict[str, list[dict[str, Any]]] = {}
        for message in messages:
            message_id = str(message.get("messageId", ""))
            if message_id not in malformed and message_id not in retry:
                continue
            arn, handle = message.get("eventSourceARN"), message.get("receiptHandle")
            if not isinstance(arn, str) or not isinstance(handle, str):
                continue
            count = str((message.get("attributes") or {}).get("ApproximateReceiveCount") or "1")
            seconds = (
                0
                if message_id in malformed
                else backoff_seconds(int(count) if count.isdigit() else 1)
            )
            entry = {
                "Id": str(len(by_queue.get(arn, []))),
                "ReceiptHandle": handle,
                "VisibilityTimeout": seconds,
            }
            by_queue.setdefault(arn, []).append(entry)
        for arn, entries in sorted(by_queue.items()):
            self._change(arn, entries)

    def _change(self, arn: str, entries: list[dict[str, Any]]) -> None:
        try:
            url = queue_url_from_arn(arn, self._sqs.meta.endpoint_url)
        except ValueError as error:
            _log.warning("visibility not changed", extra={"fields": {"reason": str(error)}})
            return
        for start in range(0, len(entries), 10):
            chunk = entries[start : start + 10]
            try:
                response = self._sqs.change_message_visibility_batch(QueueUrl=url, Entries=chunk)
                failed = response.get("Failed") or []
            except Exception as error:  # best effort: the queue's own timeout still applies
                failed = [{"Id": e["Id"], "Message": str(error)} for e in chunk]
            if failed:
                _log.warning(
                    "visibility not changed",
                    extra={"fields": {"messages": len(failed), "reason": failed[0].get("Message")}},
                )
