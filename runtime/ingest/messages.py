"""One SQS message of the processing function, parsed: its record, position and identity.

:func:`parse_message` reads the retrieval envelope ``{"trellis": 1, "observed_at",
"sequence", "record"}`` or any JSON object from another producer (then the position is the
message's ``SentTimestamp`` and sequence, see :mod:`runtime.ingest.ordering`), shapes the
record and keeps its canonical payload; :func:`rounds` orders a batch's candidates so each
key is decided once per round, oldest first.

What can go wrong: a body that cannot be parsed, shaped or encoded, or a position in the
future, raises :class:`~runtime.ingest.exceptions.MalformedRecordError` (the processor
reports the message as failed, and the redrive policy moves it to the dead-letter queue).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from runtime.core import logs
from runtime.ingest.change_hash import canonical_json
from runtime.ingest.exceptions import MalformedRecordError
from runtime.ingest.ordering import FUTURE_ALLOWANCE_MS, Position, foreign_sequence
from runtime.ingest.shaping import ShapedRecord, Shaper


@dataclass(frozen=True)
class Candidate:
    """A parsed, shaped message waiting to be stored."""

    message_id: str
    index: int
    receive_count: int
    correlation_id: str
    position: Position
    payload: bytes
    record: ShapedRecord


def message_correlation_id(message: Mapping[str, Any]) -> str:
    """The ``correlation_id`` message attribute, or the message id when it has none."""
    attributes = message.get("messageAttributes") or {}
    given = (attributes.get("correlation_id") or {}).get("stringValue")
    if logs.is_correlation_id(given):
        return given
    return str(message.get("messageId", ""))


def _reject_constant(name: str) -> object:
    raise MalformedRecordError(f"body holds {name}, which JSON does not allow")


def _position(body: object, message: Mapping[str, Any], now_ms: int) -> tuple[object, Position]:
    """The raw record and its position, from an envelope or a foreign message."""
    attributes = message.get("attributes") or {}
    if isinstance(body, dict) and body.get("trellis") == 1 and "record" in body:
        observed_at = body.get("observed_at")
        if isinstance(observed_at, bool) or not isinstance(observed_at, int):
            raise MalformedRecordError(f"envelope observed_at is {observed_at!r}, not an integer")
        sequence = body.get("sequence", "")
        if not isinstance(sequence, str) or len(sequence) > 64:
            raise MalformedRecordError(f"envelope sequence is {sequence!r}, not a short string")
        raw, position = body["record"], Position(observed_at, sequence)
    else:
        sent = str(attributes.get("SentTimestamp") or "0")
        if not sent.isdigit():
            raise MalformedRecordError(f"SentTimestamp is {sent!r}, not a number")
        raw, position = body, Position(int(sent), foreign_sequence(message))
    if position.observed_at < 0 or position.observed_at > now_ms + FUTURE_ALLOWANCE_MS:
        raise MalformedRecordError(
            f"observed_at {position.observed_at} is not between 0 and now plus "
            f"{FUTURE_ALLOWANCE_MS // 1000} s ({now_ms} ms); a future time would freeze the key"
        )
    return raw, position


def parse_message(
    message: Mapping[str, Any], index: int, shaper: Shaper, *, now_ms: int | None = None
) -> Candidate:
    """Parse and shape one SQS record of the event.

    Raises:
        MalformedRecordError: the body is not JSON (``NaN`` and ``Infinity`` included),
            not an object, holds text that is not valid Unicode, carries an observation
            time in the future, or cannot be shaped.
    """
    now = int(time.time() * 1000) if now_ms is None else now_ms
    try:
        body = json.loads(message["body"], parse_constant=_reject_constant)
    except (KeyError, TypeError, RecursionError, json.JSONDecodeError) as error:
        raise MalformedRecordError(f"body is not JSON: {error}") from None
    raw, position = _position(body, message, now)
    try:
        payload = canonical_json(raw).encode("utf-8")
        record = shaper.shape_record(raw)
    except MalformedRecordError:
        raise
    except (ValueError, RecursionError) as error:  # UnicodeEncodeError: a lone surrogate
        raise MalformedRecordError(f"record cannot be encoded: {error}") from None
    attributes = message.get("attributes") or {}
    count = str(attributes.get("ApproximateReceiveCount") or "1")
    return Candidate(
        message_id=str(message.get("messageId", "")),
        index=index,
        receive_count=int(count) if count.isdigit() else 1,
        correlation_id=message_correlation_id(message),
        position=position,
        payload=payload,
        record=record,
    )


def rounds(candidates: Sequence[Candidate]) -> list[list[Candidate]]:
    """Split candidates so each key occurs once per round, oldest observation first."""
    by_key: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        by_key.setdefault(candidate.record.key, []).append(candidate)
    result: list[list[Candidate]] = []
    for group in by_key.values():
        group.sort(key=lambda c: (c.position, c.index))
        for depth, candidate in enumerate(group):
            if depth == len(result):
                result.append([])
            result[depth].append(candidate)
    return result
