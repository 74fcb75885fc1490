"""Incremental retrieval: ask the source only for what changed since the last complete run.

The *high-water mark* is the largest value of the records' ``response_path`` (an update
timestamp, or an integer such as a version or epoch seconds) seen by the last run that
enqueued every page. A run:

1. reads the mark from the state table (:class:`MarkStore`, one item, strongly
   consistent), or starts from ``initial``;
2. asks for records from ``mark − lag_seconds`` (the lag re-reads the last moments, for
   sources whose writes become visible late): the value of ``param`` and of the
   ``${since}`` placeholders (:func:`fill_templates`);
3. watches every record it enqueues (:meth:`IncrementalRun.observe`);
4. only if the run was complete, writes the new mark with a conditional put: the write
   succeeds only if the item still holds the mark this run started from, so two
   overlapping runs cannot move the mark backwards (:meth:`IncrementalRun.commit`).

Records whose value is missing or unreadable do not move the mark (they are counted).
Timestamps are compared as instants (``2024-01-01T08:00:00+08:00`` equals
``2024-01-01T00:00:00Z``); the mark keeps the source's own text, so the next request
sends exactly what the source wrote, unless a lag was subtracted (then it is UTC, ``Z``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from runtime import contract
from runtime.contract.ingestion_source import IncrementalSettings
from runtime.core.aws import classify_aws_error
from runtime.core.capabilities import Capability
from runtime.core.retry import Retrier
from runtime.ingest.paths import MISSING, dot_path

__all__ = [
    "CAPABILITIES",
    "IncrementalRun",
    "MarkStore",
    "fill_templates",
    "format_instant",
    "mark_value",
]

CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        component="ingest.incremental",
        resource="table",
        actions=("dynamodb:GetItem", "dynamodb:PutItem"),
    ),
)
"""The mark's item in the state table: read once per run, written once per complete run."""

Mark = str | int
_TEMPLATE = re.compile(r"\$\{(since|now)\}")


def mark_value(value: object, integer: bool) -> datetime | int | None:
    """``value`` as something comparable: an aware datetime, an int, or ``None`` if neither.

    With ``integer`` the marks are integers (also given as digit strings); otherwise
    ISO-8601 timestamps with a zone (``Z`` accepted). A timestamp without a zone is read
    as UTC, as most APIs mean it.
    """
    if integer:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value.strip())
        return None
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def format_instant(instant: datetime) -> str:
    """ISO-8601 in UTC with ``Z``, microseconds only when there are any."""
    utc = instant.astimezone(UTC)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.{utc.microsecond:06d}Z" if utc.microsecond else f"{text}Z"


def fill_templates(value: Any, values: dict[str, str]) -> Any:
    """``value`` (a string, or a JSON object or list of them) with ``${since}`` and ``${now}``
    replaced by ``values``; everything else unchanged."""
    if isinstance(value, str):
        return _TEMPLATE.sub(lambda m: values[m.group(1)], value)
    if isinstance(value, dict):
        return {k: fill_templates(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [fill_templates(v, values) for v in value]
    return value


class MarkStore:
    """The mark's item in the state table (key attribute ``name``, value ``mark``)."""

    def __init__(
        self,
        dynamodb_client: Any,
        table: str,
        retrier: Retrier,
        *,
        name: str = contract.STATE_MARK_NAME,
    ) -> None:
        self._ddb = dynamodb_client
        self.table = table
        self._retrier = retrier
        self.name = name
        self._key = {contract.STATE_KEY_ATTRIBUTE: {"S": name}}

    def read(self) -> Mark | None:
        """The stored mark, or ``None`` before the first complete run."""
        response = self._retrier.call(
            "dynamodb.GetItem",
            lambda: self._ddb.get_item(TableName=self.table, Key=self._key, ConsistentRead=True),
            classify_aws_error,
        )
        stored = response.get("Item", {}).get("mark")
        if stored is None:
            return None
        return int(stored["N"]) if "N" in stored else str(stored["S"])

    def write(self, mark: Mark, expected: Mark | None, correlation_id: str) -> bool:
        """Store ``mark`` if the item still holds ``expected``; ``False`` if it did not.

        Raises:
            RetryExhaustedError: DynamoDB kept failing in a way retrying could fix.
        """
        from botocore.exceptions import ClientError  # with boto3, already loaded in Lambda

        item = {
            **self._key,
            "mark": _attribute(mark),
            "correlation_id": {"S": correlation_id},
            "written_at": {"S": format_instant(datetime.now(UTC))},
        }
        if expected is None:
            condition = "attribute_not_exists(#mark)"
            values: dict[str, Any] = {}
        else:
            condition = "#mark = :expected"
            values = {":expected": _attribute(expected)}
        try:
            self._retrier.call(
                "dynamodb.PutItem",
                lambda: self._ddb.put_item(
                    TableName=self.table,
                    Item=item,
                    ConditionExpression=condition,
                    ExpressionAttributeNames={"#mark": "mark"},
                    **({"ExpressionAttributeValues": values} if values else {}),
                ),
                classify_aws_error,
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True


def _attribute(mark: Mark) -> dict[str, str]:
    return {"N": str(mark)} if isinstance(mark, int) else {"S": mark}


class IncrementalRun:
    """The mark of one retrieval run: where it starts, what it saw, what it stores."""

    def __init__(
        self,
        settings: IncrementalSettings,
        store: MarkStore,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.settings = settings
        self.store = store
        self.integer = isinstance(settings.initial, int)
        self.started_at = now()
        self.start_mark: Mark | None = None
        self.highest: Mark | None = None
        self._highest_value: datetime | int | None = None
        self.unreadable = 0
        self.advanced = False
        self._lock = threading.Lock()

    def begin(self) -> str:
        """Read the stored mark; the lower bound to request (``mark − lag``, or ``initial``)."""
        self.start_mark = self.store.read()
        base = self.settings.initial if self.start_mark is None else self.start_mark
        value = mark_value(base, self.integer)
        if value is None:  # a mark this code wrote cannot be unreadable; initial is validated
            raise ValueError(f"the stored mark {base!r} is not a {self._kind}")
        with self._lock:
            self.highest, self._highest_value = base, value
        lag = self.settings.lag_seconds
        if not lag:
            return str(base)
        if isinstance(value, int):
            return str(value - lag)
        return format_instant(value - timedelta(seconds=lag))

    @property
    def _kind(self) -> str:
        return "integer" if self.integer else "timestamp with a time zone"

    def templates(self, since: str) -> dict[str, str]:
        """The values of ``${since}`` and ``${now}`` for this run."""
        return {"since": since, "now": format_instant(self.started_at)}

    def observe(self, records: list[object]) -> None:
        """Raise the run's highest mark with ``records`` (called per enqueued page)."""
        path = self.settings.response_path
        with self._lock:
            for record in records:
                raw = dot_path(record, path)
                value = None if raw is MISSING else mark_value(raw, self.integer)
                if value is None:
                    self.unreadable += 1
                    continue
                if self._highest_value is None or value > self._highest_value:  # type: ignore[operator]
                    self._highest_value = value
                    self.advanced = True
                    self.highest = raw if isinstance(raw, str | int) else str(raw)
                    if self.integer:
                        self.highest = int(value)  # type: ignore[arg-type]

    def commit(self, correlation_id: str, *, attempts: int = 3) -> Mark | None:
        """Store the run's highest mark (call only after a complete run); what is stored.

        If another run stored a mark meanwhile, the higher of the two stays: the write is
        retried against the newer mark at most ``attempts`` times. Returns ``None`` when
        nothing needed writing (no record beyond the stored mark).
        """
        if not self.advanced or self._highest_value is None or self.highest is None:
            return None
        expected = self.start_mark
        for _ in range(attempts):
            if expected is not None:
                current = mark_value(expected, self.integer)
                if current is not None and current >= self._highest_value:  # type: ignore[operator]
                    return None
            if self.store.write(self.highest, expected, correlation_id):
                return self.highest
            expected = self.store.read()
        return None
