"""The high-water mark: where a run starts, what it stores, and when (moto DynamoDB)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import boto3
import pytest

from runtime import contract
from runtime.contract.ingestion_source import IncrementalSettings
from runtime.core.retry import Retrier
from runtime.core.settings import RetryPolicy
from runtime.ingest.incremental import IncrementalRun, MarkStore, fill_templates, mark_value

RETRIER = Retrier(RetryPolicy(max_attempts=2, base_delay_ms=0, max_delay_ms=0))


def state_table() -> str:
    """A fresh state table keyed as the generator creates it."""
    name = "state-" + uuid.uuid4().hex[:8]
    boto3.client("dynamodb").create_table(
        TableName=name,
        AttributeDefinitions=[
            {"AttributeName": contract.STATE_KEY_ATTRIBUTE, "AttributeType": "S"}
        ],
        KeySchema=[{"AttributeName": contract.STATE_KEY_ATTRIBUTE, "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return name


def run(table: str, initial: str | int = "2024-01-01T00:00:00Z", lag: int = 0) -> IncrementalRun:
    """One run's mark over ``table``."""
    settings = IncrementalSettings("since", "meta.updated", initial, lag)
    store = MarkStore(boto3.client("dynamodb"), table, RETRIER)
    return IncrementalRun(settings, store, now=lambda: datetime(2025, 6, 1, 12, tzinfo=UTC))


def records(*stamps: object) -> list[object]:
    """Raw records with their update stamps at meta.updated."""
    return [{"id": n, "meta": {"updated": s}} for n, s in enumerate(stamps)]


def test_the_first_run_starts_at_initial_and_stores_the_highest(moto_endpoint: str) -> None:
    """No mark yet: the request starts at initial; the commit stores the largest instant."""
    table = state_table()
    first = run(table)
    assert first.begin() == "2024-01-01T00:00:00Z"
    first.observe(records("2024-03-01T10:00:00+08:00", "2024-03-01T03:00:00Z", None, "bad"))
    first.observe([{"id": 9}])
    assert first.unreadable == 3
    assert first.commit("run-1") == "2024-03-01T03:00:00Z"
    second = run(table)
    assert second.begin() == "2024-03-01T03:00:00Z"
    item = boto3.client("dynamodb").get_item(
        TableName=table, Key={"name": {"S": contract.STATE_MARK_NAME}}
    )["Item"]
    assert item["correlation_id"] == {"S": "run-1"}


def test_nothing_new_writes_nothing(moto_endpoint: str) -> None:
    """A run that saw nothing past the mark leaves the item alone."""
    table = state_table()
    one = run(table)
    one.begin()
    one.observe(records("2024-02-01T00:00:00Z"))
    one.commit("run-1")
    two = run(table)
    two.begin()
    two.observe(records("2024-02-01T00:00:00Z", "2024-01-15T00:00:00Z"))
    assert two.commit("run-2") is None


def test_the_lag_is_subtracted_from_the_request_not_the_mark(moto_endpoint: str) -> None:
    """With a lag the request asks from mark − lag (UTC, Z); the stored mark is unchanged."""
    table = state_table()
    one = run(table, lag=300)
    assert one.begin() == "2023-12-31T23:55:00Z"
    one.observe(records("2024-02-01T08:00:00.250000+08:00"))
    assert one.commit("run-1") == "2024-02-01T08:00:00.250000+08:00"
    assert run(table, lag=300).begin() == "2024-01-31T23:55:00.250000Z"


def test_an_overlapping_run_never_moves_the_mark_back(moto_endpoint: str) -> None:
    """Two runs from the same mark: the higher mark stays whichever commits last."""
    table = state_table()
    slow, fast = run(table), run(table)
    slow.begin()
    fast.begin()
    fast.observe(records("2024-05-01T00:00:00Z"))
    slow.observe(records("2024-04-01T00:00:00Z"))
    assert fast.commit("fast") == "2024-05-01T00:00:00Z"
    assert slow.commit("slow") is None  # its conditional put fails, the newer mark is higher
    assert run(table).begin() == "2024-05-01T00:00:00Z"
    later = run(table)
    later.begin()
    earlier = run(table)
    earlier.begin()
    later.observe(records("2024-07-01T00:00:00Z"))
    earlier.observe(records("2024-06-01T00:00:00Z"))
    assert earlier.commit("earlier") == "2024-06-01T00:00:00Z"
    assert later.commit("later") == "2024-07-01T00:00:00Z"  # re-read, still higher: written


def test_integer_marks(moto_endpoint: str) -> None:
    """Integer marks (versions, epoch seconds) compare as numbers, digits strings included."""
    table = state_table()
    one = run(table, initial=0, lag=10)
    assert one.begin() == "-10"
    one.observe(records(9, "12", 3, "x", True))
    assert one.commit("run-1") == 12
    assert run(table, initial=0).begin() == "12"


@pytest.mark.parametrize(
    ("value", "integer", "expected"),
    [
        ("2024-01-01T00:00:00Z", False, datetime(2024, 1, 1, tzinfo=UTC)),
        ("2024-01-01T00:00:00", False, datetime(2024, 1, 1, tzinfo=UTC)),
        (1700000000, False, None),
        ("17", True, 17),
        (1.5, True, None),
    ],
)
def test_mark_values(value: object, integer: bool, expected: object) -> None:
    """Timestamps without a zone read as UTC; numbers only for integer marks."""
    assert mark_value(value, integer) == expected


def test_templates_fill_strings_inside_bodies() -> None:
    """${since} and ${now} are replaced anywhere in a body; other text is untouched."""
    body = {"filter": {"from": "${since}", "to": "${now}", "n": 5}, "tags": ["${since}", "$x"]}
    values = {"since": "A", "now": "B"}
    assert fill_templates(body, values) == {
        "filter": {"from": "A", "to": "B", "n": 5},
        "tags": ["A", "$x"],
    }
