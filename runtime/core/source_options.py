"""Settings of the source options beyond a single bearer-token, cursor or page source.

Plain frozen values, read from ``TRELLIS_SOURCE`` and ``TRELLIS_INCREMENTAL`` by
:mod:`runtime.core.settings` and used by the ingestion components
(:mod:`runtime.ingest.paginators`, :mod:`runtime.ingest.auth`,
:mod:`runtime.ingest.incremental`). Each mirrors one section of ``spec.source.http``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ApiKeyQueryAuth",
    "BasicAuth",
    "CursorHeaderPagination",
    "IncrementalSettings",
    "LinkHeaderPagination",
    "NextUrlPagination",
    "OAuth2ClientCredentials",
    "OffsetPagination",
]


@dataclass(frozen=True)
class ApiKeyQueryAuth:
    """An API key read from an SSM SecureString, sent as the query parameter ``query``."""

    parameter: str
    query: str


@dataclass(frozen=True)
class BasicAuth:
    """HTTP basic authentication; username and password read from SSM SecureStrings."""

    username_parameter: str
    password_parameter: str


@dataclass(frozen=True)
class OAuth2ClientCredentials:
    """The OAuth2 client credentials grant against ``token_url``."""

    token_url: str
    client_id_parameter: str
    client_secret_parameter: str
    scopes: tuple[str, ...]
    client_auth: Literal["basic", "post"]


@dataclass(frozen=True)
class OffsetPagination:
    """``param=start, start+limit, …`` with ``limit_param=limit``; total or empty page stops."""

    param: str
    limit_param: str
    limit: int
    start: int
    total_path: str | None


@dataclass(frozen=True)
class LinkHeaderPagination:
    """The next page is the target of the response's ``Link: <…>; rel="next"``."""


@dataclass(frozen=True)
class NextUrlPagination:
    """The next page is the URL at ``response_path`` in the response body."""

    response_path: str


@dataclass(frozen=True)
class CursorHeaderPagination:
    """The next page is requested with ``param=<the response header header>``."""

    header: str
    param: str


@dataclass(frozen=True)
class IncrementalSettings:
    """Incremental retrieval from the high-water mark kept in ``state_table``.

    ``initial`` is the mark of the first run: an ISO-8601 timestamp with a zone, or an
    integer. ``response_path`` is where each raw record holds its value.
    """

    param: str | None
    response_path: str
    initial: str | int
    lag_seconds: int
    state_table: str
