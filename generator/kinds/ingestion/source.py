"""``spec.source.http``: the HTTP API an ingestion pipeline reads, as real APIs are.

Every pagination style the declarative ingestion tools know (page number, offset/limit,
cursor in the body, cursor in a header, ``Link`` header, next URL in the body), every
common authentication (bearer token, API key in a header or the query string, HTTP
basic, OAuth2 client credentials, each secret read from SSM), incremental retrieval
from a high-water mark, a run-wide request rate, static query parameters and templated
POST bodies.

Rules that need several fields of this section (a body only with POST, ``${since}`` only
with ``incremental``, ``allowed_origins`` only when the source hands out next URLs, no
parameter named twice) are enforced here, so the error points at the field a person has
to change. The rule that needs ``spec.shape`` (``incremental.response_field`` is a
shaped field) lives on the spec in :mod:`generator.kinds.ingestion.blueprint`.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, model_validator

from generator.blueprint.kinds.common import (
    DOT_PATH_RE,
    DotPath,
    HeaderName,
    SsmParameterName,
    StrictModel,
    rule_error,
    string_schema,
)
from generator.blueprint.validation import suggest

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
LAMBDA_MAX_TIMEOUT_SECONDS = 900
TEMPLATE_RE = re.compile(r"\$\{([^}]*)\}")
TEMPLATE_NAMES = ("now", "since")
"""``${since}``: the incremental lower bound; ``${now}``: when the run started (UTC)."""
PARAM_RE = re.compile(r"^[A-Za-z0-9_.\-\[\]]{1,64}$")
SCOPE_RE = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]{1,128}$")
MAX_LAG_SECONDS = 30 * 86_400


def _source_url(value: str) -> str:
    parts = urlsplit(value)
    if any(c.isspace() for c in value):
        raise rule_error(
            f"{value!r} contains whitespace",
            allowed="a URL without spaces (percent-encode them as %20)",
        )
    if parts.username is not None or parts.password is not None:
        raise rule_error(
            "the URL carries credentials (user:password@); they would be committed to git",
            allowed="https://host/path without user information",
            hint="store the secret in SSM and use one of the auth methods",
        )
    if parts.scheme == "https" and parts.hostname:
        return value
    if parts.scheme == "http" and parts.hostname in LOCAL_HOSTS:
        return value
    if parts.scheme == "http":
        raise rule_error(
            f"{value!r} uses plain http",
            allowed="https URLs (http only for localhost)",
            hint=f"use {value.replace('http://', 'https://', 1)!r}",
        )
    raise rule_error(
        f"{value!r} is not an absolute URL",
        allowed="https://host/path",
        hint="include the scheme and host",
    )


def _origin(value: str) -> str:
    _source_url(value)
    parts = urlsplit(value)
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        origin = f"{parts.scheme}://{parts.netloc}"
        raise rule_error(
            f"{value!r} is not an origin: it has a path, query or fragment",
            allowed="scheme://host[:port], e.g. https://api2.example.com",
            hint=f"use {origin!r}",
        )
    return value.rstrip("/")


def _param(value: str) -> str:
    if not PARAM_RE.match(value):
        raise rule_error(
            f"{value!r} is not a query or body parameter name",
            allowed="1-64 letters, digits and _ . - [ ]",
        )
    return value


def _records_path(value: str) -> str:
    if value and not DOT_PATH_RE.match(value):
        raise rule_error(
            f"{value!r} is not a dot path",
            allowed="keys separated by dots, e.g. data.items, or '' for a body that is a list",
        )
    return value


def _scope(value: str) -> str:
    if not SCOPE_RE.match(value):
        raise rule_error(
            f"{value!r} is not an OAuth2 scope",
            allowed="printable ASCII without spaces, quotes or backslashes (RFC 6749 3.3)",
            hint="list each scope as its own item",
        )
    return value


def _templated(value: str) -> str:
    for name in TEMPLATE_RE.findall(value):
        if name not in TEMPLATE_NAMES:
            close = suggest(name, TEMPLATE_NAMES)
            raise rule_error(
                f"{value!r} uses the placeholder ${{{name}}}, which trellis does not know",
                allowed="${since} (the incremental lower bound) and ${now} (the run's start)",
                hint=f"did you mean ${{{close}}}?" if close else "write $ and { apart",
            )
    return value


HttpUrl = Annotated[
    str,
    AfterValidator(_source_url),
    string_schema("^https?://", "https URL (http only for localhost)"),
]
Origin = Annotated[
    str,
    AfterValidator(_origin),
    string_schema("^https?://[^/]+/?$", "scheme://host[:port]"),
]
ParamName = Annotated[
    str,
    Field(min_length=1, max_length=64),
    AfterValidator(_param),
    string_schema(PARAM_RE.pattern, "query or body parameter name"),
]
RecordsPath = Annotated[
    str,
    AfterValidator(_records_path),
    string_schema(r"^([A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*)?$", "dot path, or '' for the body"),
]
Scope = Annotated[str, AfterValidator(_scope), string_schema(SCOPE_RE.pattern, "OAuth2 scope")]
TemplatedText = Annotated[
    str,
    AfterValidator(_templated),
    string_schema(r"^[^\n]*$", "text; ${since} and ${now} are replaced per run"),
]


def _templates_in(value: object) -> set[str]:
    """Every ``${name}`` placeholder anywhere in a JSON-like value."""
    if isinstance(value, str):
        return set(TEMPLATE_RE.findall(value))
    if isinstance(value, dict):
        return set().union(*(_templates_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_templates_in(v) for v in value)) if value else set()
    return set()


def _check_body_templates(value: object, where: str) -> None:
    """Raise for an unknown ``${name}`` anywhere in a POST body, naming where it is."""
    if isinstance(value, str):
        for name in TEMPLATE_RE.findall(value):
            if name not in TEMPLATE_NAMES:
                close = suggest(name, TEMPLATE_NAMES)
                raise rule_error(
                    f"{value!r} uses the placeholder ${{{name}}}, which trellis does not know",
                    allowed="${since} (the incremental lower bound) and ${now} (the run's start)",
                    hint=f"did you mean ${{{close}}}?" if close else "write $ and { apart",
                    field=where,
                )
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_body_templates(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_body_templates(item, f"{where}.{index}")


# -- authentication ------------------------------------------------------------------


class ApiKeyParameter(StrictModel):
    """An API key read from SSM, sent in a header (default ``X-Api-Key``) or the query."""

    name: SsmParameterName
    header: HeaderName | None = Field(
        default=None, description="Header that carries the key; X-Api-Key unless query is set."
    )
    query: ParamName | None = Field(
        default=None, description="Query parameter that carries the key instead of a header."
    )

    @model_validator(mode="before")
    @classmethod
    def _default_header(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("header") is None and data.get("query") is None:
            return {**data, "header": "X-Api-Key"}
        return data

    @model_validator(mode="after")
    def _one_place(self) -> ApiKeyParameter:
        if self.header is not None and self.query is not None:
            raise rule_error(
                "the API key goes either in a header or in the query string, not both",
                allowed="header: X-Api-Key or query: api_key",
                field="query",
            )
        return self


class BasicAuth(StrictModel):
    """HTTP basic authentication with the username and password read from SSM."""

    username_parameter: SsmParameterName
    password_parameter: SsmParameterName


class OAuth2ClientCredentials(StrictModel):
    """OAuth2 client credentials grant (RFC 6749 4.4): a token from ``token_url``.

    The client id and secret are read from SSM; the token is cached for the life of the
    function's container and fetched again shortly before it expires or when the source
    answers 401.
    """

    token_url: HttpUrl
    client_id_parameter: SsmParameterName
    client_secret_parameter: SsmParameterName
    scopes: list[Scope] = Field(default_factory=list)
    client_auth: Literal["basic", "post"] = Field(
        default="basic",
        description="client_secret_basic (Authorization header) or client_secret_post (form).",
    )


AUTH_METHODS = (
    "bearer_token_parameter",
    "api_key_parameter",
    "basic",
    "oauth2_client_credentials",
)


class SourceAuth(StrictModel):
    """Exactly one way to authenticate to the source."""

    bearer_token_parameter: SsmParameterName | None = None
    api_key_parameter: ApiKeyParameter | None = None
    basic: BasicAuth | None = None
    oauth2_client_credentials: OAuth2ClientCredentials | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> SourceAuth:
        chosen = [n for n in AUTH_METHODS if getattr(self, n) is not None]
        if len(chosen) != 1:
            raise rule_error(
                "auth needs exactly one method" + (f", found {chosen}" if chosen else ""),
                allowed=", ".join(AUTH_METHODS),
                hint="remove auth entirely for a public source",
            )
        return self

    @property
    def parameters(self) -> tuple[str, ...]:
        """Every SSM parameter this method reads, in a stable order."""
        if self.bearer_token_parameter is not None:
            return (self.bearer_token_parameter,)
        if self.api_key_parameter is not None:
            return (self.api_key_parameter.name,)
        if self.basic is not None:
            return (self.basic.username_parameter, self.basic.password_parameter)
        assert self.oauth2_client_credentials is not None
        oauth = self.oauth2_client_credentials
        return (oauth.client_id_parameter, oauth.client_secret_parameter)


# -- pagination ----------------------------------------------------------------------


class CursorPagination(StrictModel):
    """Next page requested with ``param=<cursor>`` taken from ``response_path``."""

    param: ParamName
    response_path: DotPath


class PagePagination(StrictModel):
    """Numbered pages: ``param=start, start+1, ...`` until a page has no records."""

    param: ParamName
    start: int = Field(default=1, ge=0)
    size_param: ParamName | None = None
    size: int | None = Field(default=None, ge=1, le=10_000)

    @model_validator(mode="after")
    def _size_pair(self) -> PagePagination:
        if (self.size_param is None) != (self.size is None):
            raise rule_error(
                "size_param and size go together",
                allowed="both or neither",
                hint="set size_param: per_page and size: 100, or remove both",
                field="size_param" if self.size_param is not None else "size",
            )
        return self


class OffsetPagination(StrictModel):
    """``offset=0, limit, 2·limit, …`` until the offset reaches the total or a page is empty."""

    param: ParamName = "offset"
    limit_param: ParamName = "limit"
    limit: int = Field(ge=1, le=10_000)
    start: int = Field(default=0, ge=0)
    total_path: DotPath | None = Field(
        default=None, description="Where the response holds the total number of records."
    )


class LinkHeaderPagination(StrictModel):
    """The next page is the ``Link`` header's ``rel="next"`` target (RFC 8288, GitHub style)."""


class NextUrlPagination(StrictModel):
    """The next page is the URL at ``response_path`` of the body (``next`` in Django REST)."""

    response_path: DotPath


class CursorHeaderPagination(StrictModel):
    """Next page requested with ``param=<value of the response header header>``."""

    header: HeaderName
    param: ParamName


PAGINATION_STYLES = ("cursor", "page", "offset", "link_header", "next_url", "cursor_header")
FOLLOWS_URLS = ("link_header", "next_url")


class Pagination(StrictModel):
    """Exactly one pagination style."""

    cursor: CursorPagination | None = None
    page: PagePagination | None = None
    offset: OffsetPagination | None = None
    link_header: LinkHeaderPagination | None = None
    next_url: NextUrlPagination | None = None
    cursor_header: CursorHeaderPagination | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Pagination:
        chosen = [n for n in PAGINATION_STYLES if getattr(self, n) is not None]
        if len(chosen) != 1:
            raise rule_error(
                "pagination needs exactly one style" + (f", found {chosen}" if chosen else ""),
                allowed=", ".join(PAGINATION_STYLES),
                hint="remove pagination for a single-page source",
            )
        return self

    @property
    def style(self) -> str:
        """The name of the chosen style."""
        return next(n for n in PAGINATION_STYLES if getattr(self, n) is not None)

    @property
    def params(self) -> tuple[str, ...]:
        """The request parameters the walk sets itself."""
        chosen = getattr(self, self.style)
        names = ("param", "size_param", "limit_param")
        return tuple(getattr(chosen, n) for n in names if getattr(chosen, n, None) is not None)


# -- incremental ---------------------------------------------------------------------


def _mark(value: str | int) -> str | int:
    if isinstance(value, int):
        if value < 0:
            raise rule_error(f"{value} is negative", allowed="an integer >= 0 or a timestamp")
        return value
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise rule_error(
            f"{value!r} is not an ISO-8601 timestamp with a time zone",
            allowed="e.g. '2024-01-01T00:00:00Z', or an integer (epoch seconds, a version)",
            hint="quote the timestamp and end it with Z or +08:00",
        )
    return value


class Incremental(StrictModel):
    """Fetch only what changed since the last complete run (the high-water mark).

    The request carries ``param=<mark − lag_seconds>`` (or ``initial`` on the first run);
    the mark is the largest ``response_field`` among the run's records and advances only
    when every page of the run was enqueued.
    """

    param: ParamName | None = Field(
        default=None,
        description="Query (GET) or body (POST) parameter; omit when query/body use ${since}.",
    )
    response_field: str = Field(min_length=1, max_length=255)
    initial: Annotated[str | int, AfterValidator(_mark)]
    lag_seconds: int = Field(default=0, ge=0, le=MAX_LAG_SECONDS)


# -- the source ------------------------------------------------------------------------


class HttpSource(StrictModel):
    """An HTTP API read page by page."""

    url: HttpUrl
    method: Literal["GET", "POST"] = "GET"
    headers: dict[HeaderName, str] = Field(default_factory=dict)
    query: dict[ParamName, TemplatedText] = Field(
        default_factory=dict, description="Static query parameters; ${since} and ${now} allowed."
    )
    body: dict[str, Any] | None = Field(
        default=None, description="POST only: a JSON object sent with the pagination fields."
    )
    auth: SourceAuth | None = None
    records_path: RecordsPath = ""
    pagination: Pagination | None = None
    allowed_origins: list[Origin] = Field(
        default_factory=list,
        description="Other origins a next URL may point at (default: the url's own only).",
    )
    incremental: Incremental | None = None
    max_requests_per_second: float | None = Field(default=None, gt=0, le=10_000)
    max_pages: int = Field(default=100, ge=1, le=100_000)
    timeout_seconds: int = Field(default=10, ge=1, le=LAMBDA_MAX_TIMEOUT_SECONDS)

    @model_validator(mode="after")
    def _request_shape(self) -> HttpSource:
        if self.body is not None and self.method != "POST":
            raise rule_error(
                "body is sent only with method POST",
                allowed="method: POST with a body, or GET without one",
                hint="set method: POST or move the fields to query",
                field="body",
            )
        if self.body is not None:
            _check_body_templates(self.body, "body")
        style = self.pagination.style if self.pagination is not None else None
        if self.allowed_origins and style not in FOLLOWS_URLS:
            raise rule_error(
                "allowed_origins applies only to pagination that follows URLs",
                allowed="pagination link_header or next_url",
                hint="remove allowed_origins",
                field="allowed_origins",
            )
        own = f"{urlsplit(self.url).scheme}://{urlsplit(self.url).netloc}"
        for index, origin in enumerate(self.allowed_origins):
            if origin == own:
                raise rule_error(
                    f"{origin!r} is the url's own origin, which is always allowed",
                    allowed="other origins only",
                    hint="remove it",
                    field=f"allowed_origins.{index}",
                )
        self._names_once()
        self._since_needs_incremental()
        return self

    def _names_once(self) -> None:
        walk = self.pagination.params if self.pagination is not None else ()
        incremental = (
            (self.incremental.param,)
            if self.incremental is not None and self.incremental.param
            else ()
        )
        api_key = self.auth.api_key_parameter if self.auth is not None else None
        secret = (api_key.query,) if api_key is not None and api_key.query else ()
        owned = {**dict.fromkeys(walk, "pagination"), **dict.fromkeys(incremental, "incremental")}
        owned.update(dict.fromkeys(secret, "auth.api_key_parameter.query"))
        if len(owned) < len(walk) + len(incremental) + len(secret):
            raise rule_error(
                "pagination, incremental and the API key use the same parameter name",
                allowed="a different name for each",
                field="incremental.param" if incremental else "pagination",
            )
        given = [("query", k) for k in self.query]
        if self.method == "POST" and self.body is not None:
            given += [("body", k) for k in self.body]
        for where, key in given:
            if key in owned:
                raise rule_error(
                    f"{where} sets {key!r}, which {owned[key]} sets on every request",
                    allowed=f"{where} parameters other than {', '.join(sorted(owned))}",
                    hint=f"remove {key} from {where}",
                    field=f"{where}.{key}",
                )

    def _since_needs_incremental(self) -> None:
        used = _templates_in(self.query) | _templates_in(self.body)
        if "since" in used and self.incremental is None:
            raise rule_error(
                "${since} is the incremental lower bound, but the source has no incremental",
                allowed="${since} with incremental: {...}; ${now} anywhere",
                hint="add incremental or remove ${since}",
                field="query" if "since" in _templates_in(self.query) else "body",
            )
        if self.incremental is not None and self.incremental.param is None and "since" not in used:
            raise rule_error(
                "incremental does not say where the high-water mark goes",
                allowed="incremental.param, or ${since} in query or body",
                hint="add param: updated_since",
                field="incremental.param",
            )


class Source(StrictModel):
    """Where records come from."""

    http: HttpSource
