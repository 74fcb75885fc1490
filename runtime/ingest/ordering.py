"""Which observation of a record is newer: the (timestamp, sequence) position.

Every record of a page is observed in the same millisecond, and messages from other
producers carry SQS's ``SentTimestamp``, which a whole ``SendMessageBatch`` shares; a
timestamp alone cannot order them, and ordering by arrival makes the stored copy flap
between versions as duplicates are redelivered. So an observation's position is
``(observed_at, sequence)``:

- the retrieval assigns ``sequence`` from the page number and the record's index in the
  page (:func:`page_sequence`), fixed width so that comparing the strings compares the
  numbers;
- a foreign message's sequence is its FIFO ``SequenceNumber`` (zero-padded) when it has
  one, otherwise its message id: not the producer's order (SQS standard queues keep
  none) but a total, stable order, so every delivery order ends in the same item.

Envelopes from before sequences existed have sequence ``""``, which sorts first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["FUTURE_ALLOWANCE_MS", "Position", "foreign_sequence", "page_sequence"]

#: How far in the future (by the processing function's clock) an observation may be;
#: beyond it the message is malformed. A far-future time would freeze the key for ever.
FUTURE_ALLOWANCE_MS = 5 * 60 * 1000
_WIDTH = 10


@dataclass(frozen=True, order=True)
class Position:
    """Where an observation stands in a key's history; greater is newer."""

    observed_at: int
    sequence: str = ""


def page_sequence(page: int, index: int) -> str:
    """The sequence of the ``index``-th record of page ``page`` (both from 0 or 1)."""
    return f"{page:0{_WIDTH}d}.{index:0{_WIDTH}d}"


def foreign_sequence(message: Mapping[str, Any]) -> str:
    """The sequence of a message from another producer (see the module docstring)."""
    attributes = message.get("attributes") or {}
    number = attributes.get("SequenceNumber")
    if isinstance(number, str) and number.isdigit():
        return "f" + number.zfill(40)
    return "m" + str(message.get("messageId", ""))
