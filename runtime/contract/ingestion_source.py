"""``TRELLIS_SOURCE`` and ``TRELLIS_INCREMENTAL``: the HTTP source an ingestion reads.

The generator builds these from ``spec.source.http`` (:mod:`generator.kinds.ingestion.resolve`)
and the retrieval function reads them back (:func:`runtime.core.settings.load_retrieval`),
both through :mod:`runtime.contract.codec`; the JSON keys are the blueprint's keys. The
authentication methods and pagination styles are one-of objects
(``{"basic": {...}}``); each class names its key in ``KEY``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar, Literal

from runtime.contract.codec import keyword_shape, setting, shape

__all__ = [
    "AUTH_METHODS",
    "PAGINATION_STYLES",
    "ApiKeyAuth",
    "ApiKeyQueryAuth",
    "Auth",
    "AuthMethod",
    "BasicAuth",
    "BearerAuth",
    "ClientAuth",
    "CursorHeaderPagination",
    "CursorPagination",
    "HttpMethod",
    "IncrementalSettings",
    "LinkHeaderPagination",
    "NextUrlPagination",
    "OAuth2ClientCredentials",
    "OffsetPagination",
    "PagePagination",
    "Pagination",
    "PaginationStyle",
    "SourceSettings",
]

HttpMethod = Literal["GET", "POST"]
AuthMethod = Literal[
    "bearer_token_parameter", "api_key_parameter", "basic", "oauth2_client_credentials"
]
"""The keys of ``auth``: one per method (each auth class's ``KEY``)."""
AUTH_METHODS: tuple[AuthMethod, ...] = (
    "bearer_token_parameter",
    "api_key_parameter",
    "basic",
    "oauth2_client_credentials",
)
ClientAuth = Literal["basic", "post"]
"""``client_secret_basic`` (Authorization header) or ``client_secret_post`` (form)."""
PaginationStyle = Literal["cursor", "page", "offset", "link_header", "next_url", "cursor_header"]
PAGINATION_STYLES: tuple[PaginationStyle, ...] = (
    "cursor",
    "page",
    "offset",
    "link_header",
    "next_url",
    "cursor_header",
)
MAX_LAG_SECONDS = 30 * 86_400


def _ssm_name(name: str) -> str | None:
    if not name.startswith("/") or ".." in name:
        return "must start with '/' and may not contain '..'"
    return None


def _http_url(url: str) -> str | None:
    return None if url.startswith(("https://", "http://")) else "must be an http(s) URL"


def _origins(origins: tuple[str, ...]) -> str | None:
    if all(o.startswith(("https://", "http://")) for o in origins):
        return None
    return "must be a list of http(s) origins"


def _scopes(scopes: tuple[str, ...]) -> str | None:
    return None if all(scopes) else "must be a list of scope names, none empty"


# -- authentication ----------------------------------------------------------------------


@shape
class BearerAuth:
    """``Authorization: Bearer <token>`` with the token read from an SSM SecureString."""

    KEY: ClassVar[str] = "bearer_token_parameter"
    SCALAR: ClassVar[str] = "parameter"
    """Written as the parameter name alone: ``{"bearer_token_parameter": "/x/token"}``."""

    parameter: str = setting(check=_ssm_name)


@shape
class ApiKeyAuth:
    """An API key read from an SSM SecureString, sent in ``header``."""

    KEY: ClassVar[str] = "api_key_parameter"

    parameter: str = setting(key="name", check=_ssm_name)
    header: str


@shape
class ApiKeyQueryAuth:
    """An API key read from an SSM SecureString, sent as the query parameter ``query``."""

    KEY: ClassVar[str] = "api_key_parameter"

    parameter: str = setting(key="name", check=_ssm_name)
    query: str


@shape
class BasicAuth:
    """HTTP basic authentication; username and password read from SSM SecureStrings."""

    KEY: ClassVar[str] = "basic"

    username_parameter: str = setting(check=_ssm_name)
    password_parameter: str = setting(check=_ssm_name)


@shape
class OAuth2ClientCredentials:
    """The OAuth2 client credentials grant against ``token_url``."""

    KEY: ClassVar[str] = "oauth2_client_credentials"

    token_url: str = setting(check=_http_url)
    client_id_parameter: str = setting(check=_ssm_name)
    client_secret_parameter: str = setting(check=_ssm_name)
    scopes: tuple[str, ...] = setting(default=(), check=_scopes)
    client_auth: ClientAuth = "basic"


Auth = BearerAuth | ApiKeyAuth | ApiKeyQueryAuth | BasicAuth | OAuth2ClientCredentials
"""Every way to authenticate to the source (``spec.source.http.auth``)."""

# -- pagination ------------------------------------------------------------------------------


@shape
class CursorPagination:
    """Next page requested with ``param=<value at response_path>`` until it is empty."""

    KEY: ClassVar[str] = "cursor"

    param: str
    response_path: str


@shape
class PagePagination:
    """Numbered pages ``param=start, start+1, …``; a page with no records is the last.

    ``size`` is sent as ``size_param`` when both are set (the blueprint has both or neither).
    """

    KEY: ClassVar[str] = "page"

    param: str
    start: int = setting(default=1, low=0, high=1_000_000)
    size_param: str | None = None
    size: int | None = setting(default=None, low=1, high=100_000)

    def problems(self) -> Iterator[tuple[str, str]]:
        """A page size parameter without a size."""
        if self.size_param is not None and self.size is None:
            yield "size", "is required when size_param is set"


@keyword_shape
class OffsetPagination:
    """``param=start, start+limit, …`` with ``limit_param=limit``; total or empty page stops."""

    KEY: ClassVar[str] = "offset"

    param: str = "offset"
    limit_param: str = "limit"
    limit: int = setting(low=1, high=100_000)
    start: int = setting(default=0, low=0, high=10**12)
    total_path: str | None = None


@shape
class LinkHeaderPagination:
    """The next page is the target of the response's ``Link: <…>; rel="next"``."""

    KEY: ClassVar[str] = "link_header"


@shape
class NextUrlPagination:
    """The next page is the URL at ``response_path`` in the response body."""

    KEY: ClassVar[str] = "next_url"

    response_path: str


@shape
class CursorHeaderPagination:
    """The next page is requested with ``param=<the response header header>``."""

    KEY: ClassVar[str] = "cursor_header"

    header: str
    param: str


Pagination = (
    CursorPagination
    | PagePagination
    | OffsetPagination
    | LinkHeaderPagination
    | NextUrlPagination
    | CursorHeaderPagination
)
"""Every pagination style (``spec.source.http.pagination``), in :data:`PAGINATION_STYLES` order."""

# -- the source --------------------------------------------------------------------------------


@shape
class SourceSettings:
    """``TRELLIS_SOURCE``: ``spec.source.http`` without ``incremental``."""

    url: str = setting(check=_http_url)
    method: HttpMethod = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    query: tuple[tuple[str, str], ...] = ()
    body: Mapping[str, object] | None = None
    auth: Auth | None = None
    records_path: str = ""
    pagination: Pagination | None = None
    allowed_origins: tuple[str, ...] = setting(default=(), check=_origins)
    max_requests_per_second: float | None = setting(default=None, low=0.000_001, high=10_000)
    max_pages: int = setting(default=100, low=1, high=100_000)
    timeout_seconds: float = setting(default=10, low=0.001, high=900)


@shape
class IncrementalSettings:
    """``TRELLIS_INCREMENTAL``: retrieval from the high-water mark.

    The blueprint's ``incremental`` with ``response_path`` (the dot path of
    ``response_field`` in ``spec.shape.fields``, where each raw record holds its value) in
    place of ``response_field``. ``initial`` is the mark of the first run: an ISO-8601
    timestamp with a zone, or an integer. ``param`` is ``null`` when the query or body
    carries ``${since}`` instead.
    """

    param: str | None = setting(keep_null=True)
    response_path: str
    initial: str | int
    lag_seconds: int = setting(default=0, low=0, high=MAX_LAG_SECONDS)
