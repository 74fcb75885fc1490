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

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, model_validator

from generator.blueprint.kinds.common import HeaderName, StrictModel, rule_error
from generator.kinds.ingestion.source_auth import (
    ApiKeyParameter,
    BasicAuth,
    OAuth2ClientCredentials,
    SourceAuth,
)
from generator.kinds.ingestion.source_pagination import (
    FOLLOWS_URLS,
    CursorHeaderPagination,
    CursorPagination,
    LinkHeaderPagination,
    NextUrlPagination,
    OffsetPagination,
    PagePagination,
    Pagination,
)
from generator.kinds.ingestion.source_values import (
    LAMBDA_MAX_TIMEOUT_SECONDS,
    LOCAL_HOSTS,
    HttpUrl,
    Origin,
    ParamName,
    RecordsPath,
    TemplatedText,
    check_body_templates,
    templates_in,
)
from runtime.contract.ingestion_source import MAX_LAG_SECONDS, HttpMethod

__all__ = [
    "LAMBDA_MAX_TIMEOUT_SECONDS",
    "LOCAL_HOSTS",
    "ApiKeyParameter",
    "BasicAuth",
    "CursorHeaderPagination",
    "CursorPagination",
    "HttpSource",
    "HttpUrl",
    "Incremental",
    "LinkHeaderPagination",
    "NextUrlPagination",
    "OAuth2ClientCredentials",
    "OffsetPagination",
    "PagePagination",
    "Pagination",
    "Source",
    "SourceAuth",
]

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


class HttpSource(StrictModel):
    """An HTTP API read page by page."""

    url: HttpUrl
    method: HttpMethod = "GET"
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
            check_body_templates(self.body, "body")
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
        used = templates_in(self.query) | templates_in(self.body)
        if "since" in used and self.incremental is None:
            raise rule_error(
                "${since} is the incremental lower bound, but the source has no incremental",
                allowed="${since} with incremental: {...}; ${now} anywhere",
                hint="add incremental or remove ${since}",
                field="query" if "since" in templates_in(self.query) else "body",
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
