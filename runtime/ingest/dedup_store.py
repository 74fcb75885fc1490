"""The dedup store: current change hashes in DynamoDB, written only when meaning changed.

Each item is the shaped record (its fields as DynamoDB attributes, the key field as the
partition key, a string) plus bookkeeping attributes that shaping cannot produce
(``fields`` may not start with ``trellis_``):

- ``trellis_hash``: the change hash of the stored content;
- ``trellis_observed_at``: when the source served it (ms since the epoch);
- ``trellis_backup_version``: the S3 version id of its raw payload;
- ``trellis_expires_at``: epoch seconds for DynamoDB TTL, when a TTL is configured.

Reads use ``BatchGetItem`` (100 keys a call, strongly consistent, projected to the
bookkeeping attributes) and retry ``UnprocessedKeys`` with backoff. Writes use one
conditional ``PutItem`` per changed record: it succeeds only if the item is new, or the
stored copy was observed no later than this one *and* differs from it, so a slower
writer holding older data cannot overwrite newer data, and a duplicate delivery of the
same content writes nothing.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from runtime.core.aws import classify_aws_error
from runtime.core.capabilities import Capability
from runtime.core.retry import Retrier
from runtime.ingest.shaping import ShapedRecord

__all__ = ["BATCH_GET_LIMIT", "CAPABILITIES", "DedupStore", "StoredState", "to_attribute"]

CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        component="ingest.dedup_store",
        resource="table",
        actions=("dynamodb:BatchGetItem", "dynamodb:PutItem"),
    ),
)

BATCH_GET_LIMIT = 100
HASH = "trellis_hash"
OBSERVED_AT = "trellis_observed_at"
BACKUP_VERSION = "trellis_backup_version"
EXPIRES_AT = "trellis_expires_at"


@dataclass(frozen=True)
class StoredState:
    """What the table holds for one key: the change hash and when it was observed."""

    change_hash: str
    observed_at: int


class _UnprocessedKeysError(Exception):
    """DynamoDB returned some keys unprocessed (throttled); retried with backoff."""


def to_attribute(value: object) -> dict[str, Any]:
    """A JSON value as a DynamoDB attribute value.

    Raises:
        ValueError: a float is NaN or infinite, or a value is not JSON.
    """
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int):
        return {"N": str(value)}
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} cannot be stored in DynamoDB")
        return {"N": repr(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, list):
        return {"L": [to_attribute(v) for v in value]}
    if isinstance(value, dict):
        return {"M": {str(k): to_attribute(v) for k, v in value.items()}}
    raise ValueError(f"{type(value).__name__} is not a JSON value")


class DedupStore:
    """The table of one pipeline, accessed through ``dynamodb_client``.

    Errors: throttling, ``UnprocessedKeys`` and 5xx are retried under ``retrier`` and end
    in :class:`~runtime.core.exceptions.RetryExhaustedError`; validation errors (a wrong
    key attribute name, a missing table) propagate as botocore ``ClientError``.
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
                    "ProjectionExpression": f"#k, {HASH}, {OBSERVED_AT}",
                    "ExpressionAttributeNames": {"#k": self.key_attribute},
                    "ConsistentRead": True,
                }
            }

            def attempt() -> None:
                nonlocal pending
                response = self._ddb.batch_get_item(RequestItems=pending)
                for item in response.get("Responses", {}).get(self.table_name, []):
                    found[item[self.key_attribute]["S"]] = StoredState(
                        change_hash=item[HASH]["S"], observed_at=int(item[OBSERVED_AT]["N"])
                    )
                unprocessed = response.get("UnprocessedKeys") or {}
                if unprocessed:
                    pending = unprocessed
                    raise _UnprocessedKeysError(
                        f"{len(unprocessed[self.table_name]['Keys'])} keys unprocessed"
                    )

            self._retrier.call("dynamodb.BatchGetItem", attempt, self._classify)
        return found

    def put(self, record: ShapedRecord, *, observed_at: int, backup_version: str | None) -> bool:
        """Store ``record`` unless the table holds the same or newer content.

        Returns True if the item was written, False if the condition refused it (the
        stored copy is newer, or already has this content).
        """
        from botocore.exceptions import ClientError  # botocore comes with boto3

        item = {name: to_attribute(value) for name, value in record.fields.items()}
        item[self.key_attribute] = {"S": record.key}
        item[HASH] = {"S": record.change_hash}
        item[OBSERVED_AT] = {"N": str(observed_at)}
        if backup_version is not None:
            item[BACKUP_VERSION] = {"S": backup_version}
        if self._ttl_days is not None:
            item[EXPIRES_AT] = {"N": str(int(self._clock()) + self._ttl_days * 86_400)}

        def attempt() -> None:
            self._ddb.put_item(
                TableName=self.table_name,
                Item=item,
                ConditionExpression=(
                    f"attribute_not_exists(#k) OR ({OBSERVED_AT} <= :observed AND {HASH} <> :hash)"
                ),
                ExpressionAttributeNames={"#k": self.key_attribute},
                ExpressionAttributeValues={
                    ":observed": {"N": str(observed_at)},
                    ":hash": {"S": record.change_hash},
                },
            )

        try:
            self._retrier.call("dynamodb.PutItem", attempt, classify_aws_error)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True
