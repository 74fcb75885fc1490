"""``spec.source.http`` as real APIs are: each case is a small patch and its exact errors."""

from __future__ import annotations

import pytest

from tests.blueprint.bases import INGESTION
from tests.blueprint.cases import Case, E, case, check, dump, load_blueprint_text, patched

FILE = "blueprints/orders.yaml"
HTTP = "spec.source.http."
LINK = {HTTP + "pagination": {"link_header": {}}}
OAUTH = {
    "token_url": "https://auth.example.com/oauth/token",
    "client_id_parameter": "/commerce/orders/client-id",
    "client_secret_parameter": "/commerce/orders/client-secret",
    "scopes": ["orders:read"],
}
INCREMENTAL = {
    "param": "updated_since",
    "response_field": "updated_at",
    "initial": "2024-01-01T00:00:00Z",
}

VALID = [
    case("link header pagination", LINK),
    case("next url pagination", {HTTP + "pagination": {"next_url": {"response_path": "next"}}}),
    case(
        "offset with total",
        {HTTP + "pagination": {"offset": {"limit": 100, "total_path": "count"}}},
    ),
    case(
        "cursor header pagination",
        {HTTP + "pagination": {"cursor_header": {"header": "X-Next-Cursor", "param": "cursor"}}},
    ),
    case(
        "basic auth",
        {HTTP + "auth": {"basic": {"username_parameter": "/a/u", "password_parameter": "/a/p"}}},
    ),
    case("oauth2 client credentials", {HTTP + "auth": {"oauth2_client_credentials": OAUTH}}),
    case(
        "api key in the query",
        {HTTP + "auth": {"api_key_parameter": {"name": "/a/k", "query": "api_key"}}},
    ),
    case("incremental", {HTTP + "incremental": INCREMENTAL}),
    case("incremental integer mark", {HTTP + "incremental": {**INCREMENTAL, "initial": 0}}),
    case(
        "incremental through a body template",
        {
            HTTP + "method": "POST",
            HTTP + "body": {"filter": {"updated": {"gte": "${since}", "lt": "${now}"}}},
            HTTP + "incremental": {k: v for k, v in INCREMENTAL.items() if k != "param"},
        },
    ),
    case("static query with now", {HTTP + "query": {"state": "all", "until": "${now}"}}),
    case("rate limit", {HTTP + "max_requests_per_second": 2.5}),
    case("rate limit integer", {HTTP + "max_requests_per_second": 10}),
    case("records path empty for a list body", {**LINK, HTTP + "records_path": ""}),
    case(
        "allowed origins with link",
        {**LINK, HTTP + "allowed_origins": ["https://api2.example.com"]},
    ),
]

FAILING = [
    case(
        "pagination style misspelt",
        {HTTP + "pagination": {"link_heder": {}}},
        E(
            HTTP + "pagination.link_heder",
            "unknown field",
            hint="did you mean 'link_header'?",
            at="key",
        ),
    ),
    case(
        "two pagination styles",
        {HTTP + "pagination": {"link_header": {}, "page": {"param": "page"}}},
        E(
            HTTP + "pagination",
            "pagination needs exactly one style",
            allowed="link_header, next_url",
        ),
    ),
    case(
        "offset without limit",
        {HTTP + "pagination": {"offset": {"param": "offset"}}},
        E(HTTP + "pagination.offset.limit", "required field 'limit'", at="parent"),
    ),
    case(
        "next url path not a dot path",
        {HTTP + "pagination": {"next_url": {"response_path": "links/next"}}},
        E(HTTP + "pagination.next_url.response_path", "is not a dot path"),
    ),
    case(
        "cursor header with a bad header name",
        {HTTP + "pagination": {"cursor_header": {"header": "X Next", "param": "c"}}},
        E(HTTP + "pagination.cursor_header.header", "is not a valid HTTP header name"),
    ),
    case(
        "auth method misspelt",
        {HTTP + "auth": {"oauth2_client_credential": OAUTH}},
        E(
            HTTP + "auth.oauth2_client_credential",
            "unknown field",
            hint="'oauth2_client_credentials'",
            at="key",
        ),
    ),
    case(
        "oauth2 token url over http",
        {
            HTTP + "auth": {
                "oauth2_client_credentials": {**OAUTH, "token_url": "http://auth.example.com/t"}
            }
        },
        E(HTTP + "auth.oauth2_client_credentials.token_url", "uses plain http"),
    ),
    case(
        "oauth2 scope with a space",
        {HTTP + "auth": {"oauth2_client_credentials": {**OAUTH, "scopes": ["read write"]}}},
        E(
            HTTP + "auth.oauth2_client_credentials.scopes.0",
            "is not an OAuth2 scope",
            hint="own item",
        ),
    ),
    case(
        "oauth2 client auth unknown",
        {HTTP + "auth": {"oauth2_client_credentials": {**OAUTH, "client_auth": "jwt"}}},
        E(HTTP + "auth.oauth2_client_credentials.client_auth", "is not one of the allowed values"),
    ),
    case(
        "basic without password",
        {HTTP + "auth": {"basic": {"username_parameter": "/a/u"}}},
        E(HTTP + "auth.basic.password_parameter", "required field", at="parent"),
    ),
    case(
        "basic password not absolute",
        {HTTP + "auth": {"basic": {"username_parameter": "/a/u", "password_parameter": "a/p"}}},
        E(HTTP + "auth.basic.password_parameter", "is not an absolute SSM parameter name"),
    ),
    case(
        "api key in header and query",
        {HTTP + "auth": {"api_key_parameter": {"name": "/a/k", "header": "X-Key", "query": "key"}}},
        E(HTTP + "auth.api_key_parameter.query", "either in a header or in the query string"),
    ),
    case(
        "incremental field not shaped",
        {HTTP + "incremental": {**INCREMENTAL, "response_field": "updated"}},
        E(
            HTTP + "incremental.response_field",
            "is not one of the shaped fields",
            hint="did you mean 'updated_at'?",
        ),
    ),
    case(
        "incremental initial not a timestamp",
        {HTTP + "incremental": {**INCREMENTAL, "initial": "yesterday"}},
        E(HTTP + "incremental.initial", "is not an ISO-8601 timestamp", hint="quote the timestamp"),
    ),
    case(
        "incremental initial without a zone",
        {HTTP + "incremental": {**INCREMENTAL, "initial": "2024-01-01T00:00:00"}},
        E(HTTP + "incremental.initial", "with a time zone"),
    ),
    case(
        "incremental lag too long",
        {HTTP + "incremental": {**INCREMENTAL, "lag_seconds": 40 * 86_400}},
        E(HTTP + "incremental.lag_seconds", "must be at most 2592000"),
    ),
    case(
        "incremental misspelt key",
        {HTTP + "incremental": {**INCREMENTAL, "lag": 60}},
        E(HTTP + "incremental.lag", "unknown field", hint="did you mean 'lag_seconds'?", at="key"),
    ),
    case(
        "incremental without a place for the mark",
        {HTTP + "incremental": {k: v for k, v in INCREMENTAL.items() if k != "param"}},
        E(HTTP + "incremental.param", "does not say where the high-water mark goes", at="parent"),
    ),
    case(
        "incremental with a queue trigger",
        {HTTP + "incremental": INCREMENTAL, "spec.trigger": {"queue": {}}},
        E(HTTP + "incremental", "needs the scheduled retrieval function"),
    ),
    case(
        "since without incremental",
        {HTTP + "query": {"updated_since": "${since}"}},
        E(HTTP + "query", "the source has no incremental"),
    ),
    case(
        "unknown placeholder in the query",
        {HTTP + "query": {"until": "${nwo}"}},
        E(HTTP + "query.until", "which trellis does not know", hint="did you mean ${now}?"),
    ),
    case(
        "unknown placeholder in the body",
        {HTTP + "method": "POST", HTTP + "body": {"filter": {"from": "${snice}"}}},
        E(
            HTTP + "body.filter.from",
            "which trellis does not know",
            hint="did you mean ${since}?",
        ),
    ),
    case(
        "body with GET",
        {HTTP + "body": {"q": "x"}},
        E(HTTP + "body", "body is sent only with method POST"),
    ),
    case(
        "query repeats the pagination parameter",
        {HTTP + "query": {"cursor": "abc"}},
        E(
            HTTP + "query.cursor",
            "which pagination sets on every request",
            hint="remove cursor from query",
        ),
    ),
    case(
        "incremental param is the pagination parameter",
        {HTTP + "incremental": {**INCREMENTAL, "param": "cursor"}},
        E(HTTP + "incremental.param", "use the same parameter name"),
    ),
    case(
        "allowed origins without a url-following pagination",
        {HTTP + "allowed_origins": ["https://api2.example.com"]},
        E(HTTP + "allowed_origins", "applies only to pagination that follows URLs"),
    ),
    case(
        "allowed origin with a path",
        {**LINK, HTTP + "allowed_origins": ["https://api2.example.com/v1"]},
        E(HTTP + "allowed_origins.0", "is not an origin", hint="'https://api2.example.com'"),
    ),
    case(
        "allowed origin over http",
        {**LINK, HTTP + "allowed_origins": ["http://api2.example.com"]},
        E(HTTP + "allowed_origins.0", "uses plain http"),
    ),
    case(
        "allowed origin is the url's own",
        {**LINK, HTTP + "allowed_origins": ["https://api.example.com"]},
        E(HTTP + "allowed_origins.0", "always allowed", hint="remove it"),
    ),
    case(
        "rate limit zero",
        {HTTP + "max_requests_per_second": 0},
        E(HTTP + "max_requests_per_second", "0 must be above 0"),
    ),
    case(
        "records path with a slash",
        {HTTP + "records_path": "data/items"},
        E(HTTP + "records_path", "is not a dot path"),
    ),
]


@pytest.mark.parametrize("case_", VALID, ids=lambda c: c.id)
def test_valid_source(case_: Case) -> None:
    """Each documented source option validates on its own."""
    assert load_blueprint_text(FILE, dump(patched(INGESTION, case_.patch))) == []


@pytest.mark.parametrize("case_", FAILING, ids=lambda c: c.id)
def test_failing_source(case_: Case) -> None:
    """The patched source produces exactly the expected errors, at the right place."""
    text = dump(patched(INGESTION, case_.patch))
    check(case_, load_blueprint_text(FILE, text), text, FILE)
