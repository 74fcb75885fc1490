"""Settings: every variable validated at cold start, errors naming the variable."""

from __future__ import annotations

import json
from typing import Any

import pytest

from runtime.core.exceptions import SettingsError
from runtime.core.settings import (
    ApiKeyAuth,
    BearerAuth,
    CursorPagination,
    PagePagination,
    load_processing,
    load_retrieval,
)
from tests.runtime.support import SHAPE, Pipeline

PIPELINE = Pipeline("orders", "https://sqs/q", "https://sqs/dlq", "orders-records", "orders-backup")
SOURCE: dict[str, Any] = {
    "url": "https://api.example.com/v1/orders",
    "method": "GET",
    "headers": {"Accept": "application/json"},
    "auth": {"bearer_token_parameter": "/commerce/orders/api-token"},
    "records_path": "data.items",
    "pagination": {"cursor": {"param": "cursor", "response_path": "meta.next_cursor"}},
    "max_pages": 100,
    "timeout_seconds": 10,
}


def test_retrieval_settings_parse_the_blueprint_keys() -> None:
    """A full TRELLIS_SOURCE becomes typed settings."""
    settings = load_retrieval(PIPELINE.retrieval_env(SOURCE))
    assert settings.source.auth == BearerAuth("/commerce/orders/api-token")
    assert settings.source.pagination == CursorPagination("cursor", "meta.next_cursor")
    assert settings.concurrency == 4
    assert settings.common.retry.max_attempts == 5


def test_optional_source_keys_have_defaults() -> None:
    """Only url is required; the rest default like the blueprint format."""
    settings = load_retrieval(PIPELINE.retrieval_env({"url": "https://x.example/y"}))
    assert settings.source.method == "GET"
    assert settings.source.max_pages == 100
    assert settings.source.timeout_seconds == 10
    assert settings.source.pagination is None


def test_page_pagination_and_api_key_auth() -> None:
    """page pagination and api_key_parameter parse into their own types."""
    source = SOURCE | {
        "auth": {"api_key_parameter": {"name": "/x/key", "header": "X-Api-Key"}},
        "pagination": {
            "page": {"param": "page", "start": 1, "size_param": "per_page", "size": 100}
        },
    }
    settings = load_retrieval(PIPELINE.retrieval_env(source))
    assert settings.source.auth == ApiKeyAuth("/x/key", "X-Api-Key")
    assert settings.source.pagination == PagePagination("page", 1, "per_page", 100)


def test_page_pagination_without_size_loads_as_the_blueprint_writes_it() -> None:
    """A blueprint's page pagination without size (valid there) loads at cold start (item 9)."""
    from generator.kinds.ingestion.blueprint import PagePagination as BlueprintPagePagination

    written = BlueprintPagePagination(param="page").model_dump()
    assert written == {"param": "page", "start": 1, "size_param": None, "size": None}
    settings = load_retrieval(PIPELINE.retrieval_env(SOURCE | {"pagination": {"page": written}}))
    assert settings.source.pagination == PagePagination("page", 1, None, None)


def test_processing_settings_parse_shape_and_ttl() -> None:
    """TRELLIS_SHAPE and TRELLIS_TTL_DAYS parse; empty TTL means none."""
    settings = load_processing(PIPELINE.processing_env())
    assert settings.shape.key == "order_id"
    assert settings.shape.ignore_for_change == ("updated_at",)
    assert settings.ttl_days is None
    assert load_processing(PIPELINE.processing_env(TRELLIS_TTL_DAYS="30")).ttl_days == 30


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"TRELLIS_LOG_LEVEL": "TRACE"}, "TRELLIS_LOG_LEVEL: 'TRACE' must be one of DEBUG"),
        ({"TRELLIS_RETRY": "{"}, "TRELLIS_RETRY: is not valid JSON"),
        (
            {"TRELLIS_RETRY": '{"max_attempts": 0, "base_delay_ms": 1, "max_delay_ms": 2}'},
            "max_attempts (0) must be between 1 and 20",
        ),
        (
            {"TRELLIS_RETRY": '{"max_attempts": 3, "base_delay_ms": 5, "max_delay_ms": 2}'},
            "max_delay_ms (2) must be at least base_delay_ms (5)",
        ),
        (
            {
                "TRELLIS_RETRY": json.dumps(
                    {"max_attempts": 3, "base_delay_ms": 1, "max_delay_ms": 2, "jitter": 1}
                )
            },
            "jitter is not a known key",
        ),
        (
            {"TRELLIS_STOP_MAX_CONSECUTIVE_FAILURES": "ten"},
            "TRELLIS_STOP_MAX_CONSECUTIVE_FAILURES: 'ten' is not an integer",
        ),
        (
            {"TRELLIS_FUNCTION": "retrieve"},
            "TRELLIS_FUNCTION: is 'retrieve' but the processing handler",
        ),
        ({"TRELLIS_TABLE_NAME": ""}, "TRELLIS_TABLE_NAME: is not set"),
        (
            {"TRELLIS_BACKUP_PREFIX": "/raw"},
            "TRELLIS_BACKUP_PREFIX: '/raw' must be empty or a relative prefix",
        ),
        ({"TRELLIS_TTL_DAYS": "-1"}, "TRELLIS_TTL_DAYS: -1 must be between 1 and 36500"),
        (
            {"TRELLIS_SHAPE": json.dumps(SHAPE | {"key": "id"})},
            "TRELLIS_SHAPE: key ('id') must be one of the fields",
        ),
        (
            {"TRELLIS_SHAPE": json.dumps(SHAPE | {"ignore_for_change": ["order_id"]})},
            "ignore_for_change ('order_id') must name a field other than the key",
        ),
        (
            {
                "TRELLIS_SHAPE": json.dumps(
                    SHAPE | {"fields": {"order_id": "id", "trellis_hash": "x"}}
                )
            },
            "fields.trellis_hash uses the reserved prefix",
        ),
    ],
)
def test_bad_processing_values_name_the_variable(patch: dict[str, str], message: str) -> None:
    """Each bad value raises SettingsError naming the variable and the problem."""
    with pytest.raises(SettingsError) as caught:
        load_processing(PIPELINE.processing_env(**patch))
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"url": "ftp://x"}, "url ('ftp://x') must be an http(s) URL"),
        ({"method": "PUT"}, "method ('PUT') must be GET or POST"),
        ({"auth": {}}, "auth must have exactly one of"),
        ({"auth": {"bearer_token_parameter": "no-slash"}}, "must start with '/'"),
        (
            {"pagination": {"page": {"param": "p", "size_param": "n"}}},
            "pagination.page.size is required when size_param is set",
        ),
        (
            {"pagination": {"cursor": {"param": "c"}, "page": {"param": "p", "size": 1}}},
            "exactly one of cursor, page",
        ),
        ({"max_pages": 0}, "max_pages (0) must be between 1 and 100000"),
        ({"records_path": 3}, "records_path must be a string"),
        ({"extra": 1}, "extra is not a known key"),
    ],
)
def test_bad_source_values_name_the_key(patch: dict[str, Any], message: str) -> None:
    """A bad TRELLIS_SOURCE names the variable and the key path inside it."""
    with pytest.raises(SettingsError) as caught:
        load_retrieval(PIPELINE.retrieval_env(SOURCE | patch))
    assert str(caught.value).startswith("environment variable TRELLIS_SOURCE: ")
    assert message in str(caught.value)


def test_concurrency_is_bounded() -> None:
    """TRELLIS_CONCURRENCY must be 1..64 like retrieval.concurrency."""
    with pytest.raises(SettingsError, match="TRELLIS_CONCURRENCY: 65 must be between 1 and 64"):
        load_retrieval(PIPELINE.retrieval_env(SOURCE, TRELLIS_CONCURRENCY="65"))
