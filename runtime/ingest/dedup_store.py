"""The dedup store: the newest observation of each record in DynamoDB.

Each item is the shaped record (its fields as DynamoDB attributes, the key field as the
partition key, a string) plus bookkeeping attributes that shaping cannot produce
(``fields`` may not start with ``trellis_``):

- ``trellis_hash``: the change hash of the stored content;
- ``trellis_observed_at`` and ``trellis_sequence``: the *position* of the newest
  observation seen for the key — when the source served it (ms since the epoch) and,
  for observations of the same millisecond, the order the retrieval saw them in (a
  fixed-width string, compared as text; see :mod:`runtime.ingest.ordering`);
- ``trellis_backup_key``: the S3 key of the stored content's raw payload;
- ``trellis_expires_at``: epoch seconds for DynamoDB TTL, when a TTL is configured.

Reads use ``BatchGetItem`` (100 keys a call, strongly consistent, projected to the
bookkeeping attributes) and retry ``UnprocessedKeys`` with backoff. Both writes are
conditional on the stored position being strictly older than the writer's, so the item
only ever moves forward, whichever instance writes last:

- :meth:`DedupStore.put` stores a changed record (``PutItem``);
- :meth:`DedupStore.touch` moves the position of an *unchanged* record forward
  (``UpdateItem``, no S3 write): without it, an older different record delivered late
  would find the item still at its first observation and overwrite newer data.

Both return the item as it is now when their condition refuses them
(``ReturnValuesOnConditionCheckFailure``), so the caller can decide again without
another read, and so a retried write whose first attempt landed (its response was lost)
is recognised as written instead of counted as superseded.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from runtime.core.aws import classify_aws_error, error_code, is_invalid_data
from runtime.core.capabilities import Capability
from runtime.core.retry import Retrier
from runtime.ingest.exceptions import MalformedRecordError
from runtime.ingest.ordering import Position
from runtime.ingest.shaping import ShapedRecord

__all__ = [
    "BATCH_GET_LIMIT",
    "CAPABILITIES",
    "DedupStore",
    "StoredState",
    "WriteResult",
    "to_attribute",
]

CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        component="ingest.dedup_store",
        resource="table",
        actions=("dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
    ),
)

BATCH_GET_LIMIT = 100
MAX_ITEM_BYTES = 400 * 1024
MAX_PARTITION_KEY_BYTES = 2048
HASH = "trellis_hash"
OBSERVED_AT = "trellis_observed_at"
SEQUENCE = "trellis_sequence"
BACKUP_KEY = "trellis_backup_key"
EXPIRES_AT = "trellis_expires_at"

_NEWER = (
    f"({OBSERVED_AT} < :observed OR ({OBSERVED_AT} = :observed AND "
    f"(attribute_not_exists({SEQUENCE}) OR {SEQUENCE} < :sequence)))"
)


@dataclass(frozen=True)
class StoredState:
    """What the table holds for one key: the change hash and the newest position seen."""

    change_hash: str
    position: Position

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> StoredState:
        """The state of a DynamoDB item (an item from before sequences has sequence "")."""
        return cls(
            change_hash=item[HASH]["S"],
            position=Position(int(item[OBSERVED_AT]["N"]), item.get(SEQUENCE, {}).get("S", "")),
        )


@dataclass(frozen=True)
class WriteResult:
    """Whether a conditional write landed; if not, the item as the condition found it."""

    written: bool
    current: StoredState | None = None


class _UnprocessedKeysError(Exception):
    """DynamoDB returned some keys unprocessed (throttled); retried with backoff."""


def _number(value: int | float) -> str:
    """``value`` as a DynamoDB number (38 digits, magnitude 1e-130 to 1e126)."""
    text = str(value) if isinstance(value, int) else repr(value)
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - str/repr of int/float always parses
        raise ValueError(f"{value!r} is not a number") from None
    significant = "".join(map(str, number.as_tuple().digits)).strip("0")
    if number != 0 and (
        len(significant) > 38 or not Decimal("1e-130") <= abs(number) < Decimal("1e126")
    ):
        raise ValueError(f"the number {text} is outside what DynamoDB can store")
    return text


def to_attribute(value: object) -> dict[str, Any]:
    """A JSON value as a DynamoDB attribute value.

    Raises:
        ValueError: a float is NaN or infinite, a number is outside DynamoDB's range, or
            a value is not JSON.
    """
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int):
        return {"N": _number(value)}
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} cannot be stored in DynamoDB")
        return {"N": _number(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, list):
        return {"L": [to_attribute(v) for v in value]}
    if isinstance(value, dict):
        return {"M": {str(k): to_attribute(v) for k, v in value.items()}}
    raise ValueError(f"{type(value).__name__} is not a JSON value")


def _attribute_size(value: dict[str, Any]) -> int:
    """DynamoDB's size of one attribute value (its documented sizing rules)."""
    kind, inner = next(iter(value.items()))
    if kind == "S":
        return len(inner.encode("utf-8"))
    if kind == "N":
        return len(inner.lstrip("-").replace(".", "")) // 2 + 2
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "L":
        return 3 + sum(1 + _attribute_size(v) for v in inner)
    return 3 + sum(1 + len(k.encode("utf-8")) + _attribute_size(v) for k, v in inner.items())


def item_size(item: dict[str, dict[str, Any]]) -> int:
    """The size DynamoDB counts for ``item`` (names plus values)."""
    return sum(len(name.encode("utf-8")) + _attribute_size(v) for name, v in item.items())


class DedupStore:
    """The table of one pipeline, accessed through ``dynamodb_client``.

    Errors: throttling, ``UnprocessedKeys`` and 5xx are retried under ``retrier`` and end
    in :class:`~runtime.core.exceptions.RetryExhaustedError`; an item DynamoDB refuses as
    invalid raises :class:`~runtime.ingest.exceptions.MalformedRecordError`; other
    validation errors (a wrong key attribute name, a missing table) propagate as botocore
    ``ClientError``.
    """

    def __init__(
        self,
        dynamodb_client: Any,
        table_name: str,
        key_attribute: str,
        retrier: Retrier,
        *,
        ttl_days: int | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._ddb = dynamodb_client
        self.table_name = table_name
        self.key_attribute = key_attribute
        self._retrier = retrier
        self._ttl_days = ttl_days
        self._clock = clock

    @staticmethod
    def _classify(error: BaseException) -> bool:
        return isinstance(error, _UnprocessedKeysError) or classify_aws_error(error)

    def current(self, keys: Sequence[str]) -> dict[str, StoredState]:
        """The stored state of each of ``keys`` that exists (keys must be distinct)."""
        found: dict[str, StoredState] = {}
        for start in range(0, len(keys), BATCH_GET_LIMIT):
            chunk = keys[start : start + BATCH_GET_LIMIT]
            pending: dict[str, Any] = {
                self.table_name: {
                    "Keys": [{self.key_attribute: {"S": key}} for key in chunk],
                    "ProjectionExpression": f"#k, {HASH}, {OBSERVED_AT}, {SEQUENCE}",
                    "ExpressionAttributeNames": {"#k": self.key_attribute},
                    "ConsistentRead": True,
                }
            }

            def attempt() -> None:
                nonlocal pending
                response = self._ddb.batch_get_item(RequestItems=pending)
                for item in response.get("Responses", {}).get(self.table_name, []):
                    found[item[self.key_attribute]["S"]] = StoredState.from_item(item)
                unprocessed = response.get("UnprocessedKeys") or {}
                if unprocessed:
                    pending = unprocessed
                    raise _UnprocessedKeysError(
                        f"{len(unprocessed[self.table_name]['Keys'])} keys unprocessed"
                    )

            self._retrier.call("dynamodb.BatchGetItem", attempt, self._classify)
        return found

    def item(self, record: ShapedRecord) -> dict[str, dict[str, Any]]:
        """The item's shaped attributes (no bookkeeping yet).

        Raises:
            MalformedRecordError: a value cannot be stored in DynamoDB (NaN, a number out
                of range), the key is over 2,048 bytes, or the item over 400 KB.
        """
        try:
            item = {name: to_attribute(value) for name, value in record.fields.items()}
        except ValueError as error:
            raise MalformedRecordError(str(error)) from None
        item[self.key_attribute] = {"S": record.key}
        key_bytes = len(record.key.encode("utf-8"))
        if key_bytes > MAX_PARTITION_KEY_BYTES:
            raise MalformedRecordError(
                f"the key is {key_bytes} bytes; DynamoDB allows {MAX_PARTITION_KEY_BYTES}"
            )
        # room for the bookkeeping attributes (hash, position, backup key, expiry)
        size = item_size(item) + 1_500
        if size > MAX_ITEM_BYTES:
            raise MalformedRecordError(
                f"the item would be about {size} bytes; DynamoDB allows {MAX_ITEM_BYTES}"
            )
        return item

    def _write(self, operation: str, call: Callable[[], Any]) -> WriteResult:
        from botocore.exceptions import ClientError  # botocore comes with boto3

        try:
            self._retrier.call(operation, call, classify_aws_error)
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                old = getattr(error, "response", {}).get("Item")
                return WriteResult(False, StoredState.from_item(old) if old else None)
            if is_invalid_data(error):
                raise MalformedRecordError(f"DynamoDB refused the item: {error}") from None
            raise
        return WriteResult(True)

    def _values(self, record: ShapedRecord, position: Position) -> dict[str, Any]:
        return {
            ":observed": {"N": str(position.observed_at)},
            ":sequence": {"S": position.sequence},
            ":hash": {"S": record.change_hash},
        }

    def put(self, record: ShapedRecord, *, position: Position, backup_key: str) -> WriteResult:
        """Store ``record`` unless the table holds an observation at or after ``position``.

        Raises:
            MalformedRecordError: DynamoDB refused the item as invalid.
        """
        item = self.item(record)
        item[HASH] = {"S": record.change_hash}
        item[OBSERVED_AT] = {"N": str(position.observed_at)}
        item[SEQUENCE] = {"S": position.sequence}
        item[BACKUP_KEY] = {"S": backup_key}
        if self._ttl_days is not None:
            item[EXPIRES_AT] = {"N": str(int(self._clock()) + self._ttl_days * 86_400)}
        values = self._values(record, position)
        del values[":hash"]
        return self._write(
            "dynamodb.PutItem",
            lambda: self._ddb.put_item(
                TableName=self.table_name,
                Item=item,
                ConditionExpression=f"attribute_not_exists(#k) OR {_NEWER}",
                ExpressionAttributeNames={"#k": self.key_attribute},
                ExpressionAttributeValues=values,
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            ),
        )

    def touch(self, record: ShapedRecord, *, position: Position) -> WriteResult:
        """Move the position of a stored, unchanged record forward to ``position``.

        Refused (``written`` False) when the item holds other content or a position at
        or after ``position``.
        """
        updates = f"SET {OBSERVED_AT} = :observed, {SEQUENCE} = :sequence"
        values = self._values(record, position)
        if self._ttl_days is not None:
            updates += f", {EXPIRES_AT} = :expires"
            values[":expires"] = {"N": str(int(self._clock()) + self._ttl_days * 86_400)}
        return self._write(
            "dynamodb.UpdateItem",
            lambda: self._ddb.update_item(
                TableName=self.table_name,
                Key={self.key_attribute: {"S": record.key}},
                UpdateExpression=updates,
                ConditionExpression=f"{HASH} = :hash AND {_NEWER}",
                ExpressionAttributeValues=values,
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            ),
        )
