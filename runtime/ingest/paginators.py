"""Paginators that each learn the next request from the page before: one small class each.

- :class:`OffsetPaginator`: ``offset=0, limit, 2·limit, …``; the total in the body (when
  ``total_path`` is set) or an empty page ends it.
- :class:`LinkHeaderPaginator`: the ``Link`` header's ``rel="next"`` target (RFC 8288,
  as GitHub, GitLab and most REST APIs send it), relative or absolute.
- :class:`NextUrlPaginator`: a URL in the body (``next`` in Django REST framework).
- :class:`CursorHeaderPaginator`: a cursor in a response header, sent back as a parameter.

:class:`PageSequence` wraps any of them with the two guards every walk needs: a next URL
must stay on the source's origin (scheme, host and port of the configured URL) or one the
blueprint allow-lists, so a hostile or compromised response cannot send the credentials
elsewhere (:class:`ForeignOriginError`); and a request the walk has already made means
the source is looping, which ends the walk (:class:`PageLoopError`) instead of fetching
the same page ``max_pages`` times.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from runtime.contract.ingestion_source import (
    CursorHeaderPagination,
    LinkHeaderPagination,
    NextUrlPagination,
    OffsetPagination,
)
from runtime.ingest.paths import MISSING, dot_path

__all__ = [
    "CursorHeaderPaginator",
    "ForeignOriginError",
    "LinkHeaderPaginator",
    "NextUrlPaginator",
    "OffsetPaginator",
    "PageLoopError",
    "PageSequence",
    "Paginator",
    "Request",
    "Response",
    "origin_of",
    "paginator_for",
    "parse_link_header",
]


@dataclass(frozen=True)
class Request:
    """What to fetch: ``url`` as given (a next link), or the source's URL with ``params``."""

    url: str | None = None
    params: Mapping[str, str] = field(default_factory=dict)

    def key(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        """What makes two requests the same, for loop detection."""
        return (self.url or "", tuple(sorted(self.params.items())))


@dataclass(frozen=True)
class Response:
    """What a paginator reads of a page: where it came from, its records, body, headers.

    ``headers`` maps lower-case names to values (repeated headers joined with ``", "``).
    """

    url: str
    records: list[object]
    body: object
    headers: Mapping[str, str] = field(default_factory=dict)


class PageLoopError(RuntimeError):
    """The source pointed the walk at a page it had already fetched."""


class ForeignOriginError(RuntimeError):
    """A next URL points at an origin the source is not allowed to send the walk to."""


class Paginator(ABC):
    """The first request of a walk and, from each page, the next one (``None``: the end)."""

    @abstractmethod
    def first(self) -> Request:
        """The first request."""

    @abstractmethod
    def next(self, response: Response) -> Request | None:
        """The request after ``response``, or ``None`` when it was the last page."""


class OffsetPaginator(Paginator):
    """``param=offset`` and ``limit_param=limit``, the offset growing by ``limit``.

    The walk ends when the next offset reaches the total at ``total_path`` (if set and a
    number) or when a page has no records. One paginator per walk: it keeps the offset.
    """

    def __init__(self, settings: OffsetPagination) -> None:
        self.settings = settings
        self.offset = settings.start

    def _request(self) -> Request:
        s = self.settings
        return Request(params={s.param: str(self.offset), s.limit_param: str(s.limit)})

    def first(self) -> Request:
        """Offset ``start``."""
        self.offset = self.settings.start
        return self._request()

    def next(self, response: Response) -> Request | None:
        """The following offset, unless the page was empty or the total is reached."""
        if not response.records:
            return None
        s = self.settings
        self.offset += s.limit
        if s.total_path is not None:
            total = dot_path(response.body, s.total_path)
            if isinstance(total, int) and not isinstance(total, bool) and self.offset >= total:
                return None
        return self._request()


_RFC7230_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"  # noqa: S105 - the RFC 7230 token grammar, not a secret
_PARAM = re.compile(rf"\s*;\s*({_RFC7230_TOKEN})\s*(?:=\s*(\"(?:[^\"\\]|\\.)*\"|[^;,\s\"]*))?")


def parse_link_header(value: str) -> list[tuple[str, dict[str, str]]]:
    """The links of a ``Link`` header value: ``[(target, {param: value})]`` in order.

    Tolerant of what servers send: several links separated by commas (also across
    repeated headers joined with ``", "``), commas inside quoted parameters, unquoted
    values, extra spaces, upper-case names, and garbage between links (skipped). Parameter
    names are lower-cased; the first occurrence of a name wins (RFC 8288 3.3).
    """
    links: list[tuple[str, dict[str, str]]] = []
    position = 0
    while True:
        start = value.find("<", position)
        if start < 0:
            return links
        end = value.find(">", start + 1)
        if end < 0:
            return links
        target = value[start + 1 : end].strip()
        position = end + 1
        params: dict[str, str] = {}
        while match := _PARAM.match(value, position):
            raw = match.group(2) or ""
            if raw.startswith('"'):
                raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
            params.setdefault(match.group(1).lower(), raw)
            position = match.end()
        links.append((target, params))


class LinkHeaderPaginator(Paginator):
    """Follows ``Link: <url>; rel="next"``, resolved against the page's own URL."""

    def __init__(self, settings: LinkHeaderPagination) -> None:
        self.settings = settings

    def first(self) -> Request:
        """The configured URL."""
        return Request()

    def next(self, response: Response) -> Request | None:
        """The ``rel="next"`` target, if the page has one."""
        for target, params in parse_link_header(response.headers.get("link", "")):
            if "next" in params.get("rel", "").lower().split() and target:
                return Request(url=urljoin(response.url, target))
        return None


class NextUrlPaginator(Paginator):
    """Follows the URL at ``response_path`` of the body; null, empty or absent ends it."""

    def __init__(self, settings: NextUrlPagination) -> None:
        self.settings = settings

    def first(self) -> Request:
        """The configured URL."""
        return Request()

    def next(self, response: Response) -> Request | None:
        """The body's next URL, resolved against the page's own URL."""
        value = dot_path(response.body, self.settings.response_path)
        if value is MISSING or not isinstance(value, str) or not value.strip():
            return None
        return Request(url=urljoin(response.url, value.strip()))


class CursorHeaderPaginator(Paginator):
    """Sends ``param=<header value>`` while the response carries the header."""

    def __init__(self, settings: CursorHeaderPagination) -> None:
        self.settings = settings

    def first(self) -> Request:
        """No cursor yet."""
        return Request()

    def next(self, response: Response) -> Request | None:
        """The cursor of ``response``'s header, if it has a non-empty one."""
        value = response.headers.get(self.settings.header.lower(), "").strip()
        return Request(params={self.settings.param: value}) if value else None


PaginatorSettings = (
    OffsetPagination | LinkHeaderPagination | NextUrlPagination | CursorHeaderPagination
)
_PAGINATORS: dict[type, type[Paginator]] = {
    OffsetPagination: OffsetPaginator,
    LinkHeaderPagination: LinkHeaderPaginator,
    NextUrlPagination: NextUrlPaginator,
    CursorHeaderPagination: CursorHeaderPaginator,
}


def paginator_for(settings: PaginatorSettings) -> Paginator:
    """A fresh paginator (one per walk) for ``settings``."""
    return _PAGINATORS[type(settings)](settings)  # type: ignore[call-arg]


def origin_of(url: str) -> tuple[str, str, int | None]:
    """``(scheme, host, port)`` of ``url``, the port made explicit for http and https."""
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: an origin nothing matches
        return (parts.scheme.lower(), "", -1)
    return parts.scheme.lower(), (parts.hostname or "").lower(), port or default


def _redacted(url: str) -> str:
    """``url`` without user info, query and fragment, for errors and logs."""
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{netloc}{parts.path}"


class PageSequence:
    """A paginator with the origin and loop guards; one per walk.

    ``source_url`` is the configured URL (its origin is always allowed);
    ``allowed_origins`` lists the other origins a next URL may point at.
    """

    def __init__(
        self, paginator: Paginator, source_url: str, allowed_origins: tuple[str, ...] = ()
    ) -> None:
        self.paginator = paginator
        self.source_url = source_url
        self._origins = {origin_of(source_url), *(origin_of(o) for o in allowed_origins)}
        self._seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()

    def first(self) -> Request:
        """The first request of the walk."""
        request = self.paginator.first()
        self._seen.add(request.key())
        return request

    def after(self, response: Response) -> Request | None:
        """The request after ``response``, checked; ``None`` at the end.

        Raises:
            ForeignOriginError: the next URL leaves the allowed origins.
            PageLoopError: the next request was already made in this walk.
        """
        request = self.paginator.next(response)
        if request is None:
            return None
        if request.url is not None:
            if origin_of(request.url) not in self._origins:
                raise ForeignOriginError(
                    f"the source's next page is on another origin ({_redacted(request.url)}); "
                    f"only {_redacted(self.source_url)}'s origin and allowed_origins are "
                    "followed, so the walk stops here"
                )
            if request.url == self.source_url:
                request = Request()
        key = request.key()
        if key in self._seen:
            where = _redacted(request.url) if request.url else _redacted(self.source_url)
            raise PageLoopError(
                f"the source points back at a page already fetched ({where} "
                f"{dict(request.params)}); stopping instead of looping"
            )
        self._seen.add(key)
        return request
