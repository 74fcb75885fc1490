"""Each fetched page's records, wrapped in envelopes and sent to the queue, counted.

The envelope ``{"trellis": 1, "observed_at": <ms>, "sequence": "<page>.<index>",
"record": <raw>}`` is what :mod:`runtime.ingest.messages` reads on the other side:
``observed_at`` (when the page arrived) and ``sequence`` (the record's place in the walk)
order competing writes downstream (:mod:`runtime.ingest.ordering`).

What can go wrong: a record that cannot be encoded (``NaN``, infinity, a lone surrogate)
or that the queue refuses (over 256 KiB, a failed entry after retries) fails alone; it is
counted and logged with its page and index, and the rest of the page is sent.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

from runtime.core import logs
from runtime.ingest.http_source import Page
from runtime.ingest.incremental import IncrementalRun
from runtime.ingest.ordering import page_sequence
from runtime.ingest.queue_sender import QueueSender

__all__ = ["PageSink", "envelope"]

_log = logs.get_logger("ingest.retrieve")


def envelope(record: object, observed_at: int, sequence: str) -> str:
    """The message body for ``record`` observed at ``observed_at`` ms, at ``sequence``.

    Raises:
        ValueError: the record holds NaN or infinity, or a string that is not valid
            Unicode (a lone surrogate), which SQS and the processing function cannot take.
    """
    body = json.dumps(
        {"trellis": 1, "observed_at": observed_at, "sequence": sequence, "record": record},
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )
    body.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError here, not in the sender
    return body


class PageSink:
    """The walk's sink: envelopes a page's records and sends them under one correlation id.

    ``incremental``, when the source is incremental, observes every record so the run's
    high-water mark can advance. ``fetched``, ``enqueued`` and ``failed`` count records.
    """

    def __init__(
        self,
        sender: QueueSender,
        correlation_id: str,
        clock: Callable[[], float],
        incremental: IncrementalRun | None,
    ) -> None:
        self.sender = sender
        self.correlation_id = correlation_id
        self.clock = clock
        self.incremental = incremental
        self.fetched = 0
        self.enqueued = 0
        self.failed = 0

    async def __call__(self, number: int, page: Page) -> None:
        """Send page ``number``'s records; a record that fails is counted, not raised."""
        if self.incremental is not None:
            self.incremental.observe(page.records)
        observed_at = int(self.clock() * 1000)
        bodies: list[str] = []
        indexes: list[int] = []
        self.fetched += len(page.records)
        for index, record in enumerate(page.records):
            try:
                bodies.append(envelope(record, observed_at, page_sequence(number, index)))
            except ValueError as error:  # NaN, infinity, a lone surrogate: this record only
                self._not_enqueued(number, index, f"record cannot be encoded as JSON: {error}")
                continue
            indexes.append(index)
        result = await asyncio.to_thread(self.sender.send, bodies, self.correlation_id)
        self.enqueued += result.sent
        for position, reason in result.failed:
            self._not_enqueued(number, indexes[position], reason)
        _log.debug("page enqueued", extra={"fields": {"page": number, "records": len(bodies)}})

    def _not_enqueued(self, number: int, index: int, reason: str) -> None:
        self.failed += 1
        _log.error(
            "record not enqueued",
            extra={"fields": {"page": number, "index": index, "reason": reason}},
        )
