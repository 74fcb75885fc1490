"""Settings of the new source options: every key read, every wrong value named."""

from __future__ import annotations

import json
from typing import Any

import pytest

from runtime import contract
from runtime.contract.ingestion_source import (
    ApiKeyQueryAuth,
    BasicAuth,
    CursorHeaderPagination,
    IncrementalSettings,
    LinkHeaderPagination,
    NextUrlPagination,
    OAuth2ClientCredentials,
    OffsetPagination,
)
from runtime.core.exceptions import SettingsError
from runtime.core.settings import load_retrieval
from tests.runtime.support import Pipeline

PIPELINE = Pipeline("tickets", "https://sqs/q", "https://sqs/dlq", "t-records", "t-backup")
URL = {"url": "https://api.example.com/v1/tickets"}
OAUTH = {
    "token_url": "https://auth.example.com/token",
    "client_id_parameter": "/s/id",
    "client_secret_parameter": "/s/secret",
    "scopes": ["tickets:read"],
    "client_auth": "post",
}
INCREMENTAL = {"param": "since", "response_path": "updated_at", "initial": "2024-01-01T00:00:00Z"}


def load(source: dict[str, Any], **env: str) -> Any:
    """Retrieval settings for ``source`` and extra variables."""
    return load_retrieval(PIPELINE.retrieval_env(source, **env))


@pytest.mark.parametrize(
    ("pagination", "expected"),
    [
        (
            {"offset": {"limit": 50}},
            OffsetPagination(
                param="offset", limit_param="limit", limit=50, start=0, total_path=None
            ),
        ),
        (
            {
                "offset": {
                    "param": "o",
                    "limit_param": "n",
                    "limit": 5,
                    "start": 10,
                    "total_path": "t",
                }
            },
            OffsetPagination(param="o", limit_param="n", limit=5, start=10, total_path="t"),
        ),
        ({"link_header": {}}, LinkHeaderPagination()),
        ({"next_url": {"response_path": "next"}}, NextUrlPagination("next")),
        ({"cursor_header": {"header": "X-C", "param": "c"}}, CursorHeaderPagination("X-C", "c")),
    ],
)
def test_pagination_styles(pagination: dict[str, Any], expected: object) -> None:
    """Each new pagination style parses into its own settings type."""
    assert load(URL | {"pagination": pagination}).source.pagination == expected


@pytest.mark.parametrize(
    ("auth", "expected"),
    [
        ({"api_key_parameter": {"name": "/k", "query": "key"}}, ApiKeyQueryAuth("/k", "key")),
        (
            {"basic": {"username_parameter": "/u", "password_parameter": "/p"}},
            BasicAuth("/u", "/p"),
        ),
        (
            {"oauth2_client_credentials": OAUTH},
            OAuth2ClientCredentials(
                "https://auth.example.com/token", "/s/id", "/s/secret", ("tickets:read",), "post"
            ),
        ),
    ],
)
def test_auth_methods(auth: dict[str, Any], expected: object) -> None:
    """Each new authentication parses into its own settings type."""
    assert load(URL | {"auth": auth}).source.auth == expected


def test_request_shape_and_rate() -> None:
    """query, body, allowed origins and the rate are read as given."""
    source = URL | {
        "method": "POST",
        "query": {"b": "2", "a": "${now}"},
        "body": {"filter": {"gte": "${since}"}},
        "allowed_origins": ["https://cdn.example.com"],
        "max_requests_per_second": 2.5,
    }
    settings = load(source).source
    assert settings.query == (("a", "${now}"), ("b", "2"))
    assert settings.body == {"filter": {"gte": "${since}"}}
    assert settings.allowed_origins == ("https://cdn.example.com",)
    assert settings.max_requests_per_second == 2.5


def test_incremental_reads_both_variables() -> None:
    """TRELLIS_INCREMENTAL with TRELLIS_STATE_TABLE; both empty mean a full read."""
    settings = load(
        URL,
        **{
            contract.INCREMENTAL: json.dumps(INCREMENTAL | {"lag_seconds": 60}),
            contract.STATE_TABLE: "st",
        },
    )
    assert settings.incremental == IncrementalSettings(
        "since", "updated_at", "2024-01-01T00:00:00Z", 60
    )
    assert settings.state_table == "st"
    assert load(URL, **{contract.INCREMENTAL: "", contract.STATE_TABLE: ""}).incremental is None


@pytest.mark.parametrize(
    ("source", "env", "message"),
    [
        (URL | {"pagination": {"link_header": {}, "page": {"param": "p"}}}, {}, "exactly one of"),
        (URL | {"pagination": {"offset": {}}}, {}, "pagination.offset.limit is required"),
        (URL | {"pagination": {"link_header": {"rel": "next"}}}, {}, "rel is not a known key"),
        (
            URL | {"auth": {"basic": {"username_parameter": "u", "password_parameter": "/p"}}},
            {},
            "must start with '/'",
        ),
        (
            URL | {"auth": {"api_key_parameter": {"name": "/k", "header": "H", "query": "q"}}},
            {},
            "must have the keys (name, header) or (name, query)",
        ),
        (
            URL | {"auth": {"oauth2_client_credentials": OAUTH | {"client_auth": "jwt"}}},
            {},
            "basic or post",
        ),
        (
            URL | {"auth": {"oauth2_client_credentials": OAUTH | {"scopes": "a b"}}},
            {},
            "scopes must be a list",
        ),
        (URL | {"body": [1]}, {}, "body must be a JSON object"),
        (URL | {"allowed_origins": ["ftp://x"]}, {}, "http(s) origins"),
        (URL, {contract.STATE_TABLE: "st"}, "TRELLIS_INCREMENTAL is empty"),
        (URL, {contract.INCREMENTAL: json.dumps(INCREMENTAL)}, "TRELLIS_STATE_TABLE"),
        (
            URL,
            {
                contract.INCREMENTAL: json.dumps(INCREMENTAL | {"initial": True}),
                contract.STATE_TABLE: "s",
            },
            "initial must be a string or an integer",
        ),
        (
            URL,
            {
                contract.INCREMENTAL: json.dumps(INCREMENTAL | {"response_field": "x"}),
                contract.STATE_TABLE: "s",
            },
            "not a known key",
        ),
    ],
)
def test_wrong_values_are_named(source: dict[str, Any], env: dict[str, str], message: str) -> None:
    """A wrong key or value fails at cold start, naming the variable and the key."""
    with pytest.raises(SettingsError, match=None) as caught:
        load(source, **env)
    assert message in str(caught.value)
