"""Walking the source's pages: numbered pages concurrently, cursors one after another.

- **page** pagination requests ``start, start+1, …`` concurrently (at most
  ``concurrency`` in flight) until a page has *no* records, as the blueprint promises: a
  short page is not the end (sources cap page sizes below what was asked, or return
  short pages while data moves). Pages after the first empty one that are not started
  yet are skipped (at most ``concurrency - 1`` requests go past the end).
- **cursor** pagination is sequential by nature: each page names the next. A cursor
  the walk has already followed would loop to ``max_pages``: the walk stops there and
  reports it as a failed page (:class:`CursorLoopError`).
- **offset**, **link_header**, **next_url** and **cursor_header** learn the next request
  from the page before (:mod:`runtime.ingest.paginators`), so they are sequential too.
  A next URL on another origin than the source's (and its ``allowed_origins``) is
  refused, and a request the walk already made is a loop: either ends the walk as a
  failed page (:class:`~runtime.ingest.paginators.ForeignOriginError`,
  :class:`~runtime.ingest.paginators.PageLoopError`).
- **none**: one request.

Each page is its own task boundary: a page that fails (after its retries) is counted
and reported through ``on_failure`` and the other pages carry on. With cursors a failed
page ends the walk, since the next cursor is unknown. Every page's outcome is recorded
on the circuit breaker; once it opens no new page is started. A walk that used up
``max_pages`` before reaching the end is marked ``truncated``: the caller logs, counts
(``MaxPagesReached``) and reports it, since records were left unfetched.

A new kind of pagination is one walker function registered in :data:`WALKERS` under its
settings class.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from runtime.contract.ingestion_source import (
    CursorHeaderPagination,
    LinkHeaderPagination,
    NextUrlPagination,
    OffsetPagination,
)
from runtime.core.breaker import CircuitBreaker
from runtime.core.settings import CursorPagination, PagePagination, Pagination
from runtime.ingest.http_source import Page
from runtime.ingest.paginators import (
    ForeignOriginError,
    PageLoopError,
    PageSequence,
    Response,
    paginator_for,
)
from runtime.ingest.paths import MISSING, dot_path

__all__ = ["WALKERS", "CursorLoopError", "WalkResult", "walk"]

Fetch = Callable[..., Awaitable[Page]]
"""``fetch(params)`` for the configured URL, ``fetch(params, url)`` for a next URL."""
Sink = Callable[[int, Page], Awaitable[None]]
OnFailure = Callable[[int, BaseException], None]


@dataclass
class WalkResult:
    """Pages fetched and failed; whether the breaker stopped the walk or max_pages cut it."""

    pages_fetched: int = 0
    pages_failed: int = 0
    stopped: bool = False
    truncated: bool = False


class CursorLoopError(RuntimeError):
    """The source named a cursor the walk had already followed; following it would loop."""


class _Walker:
    def __init__(
        self,
        fetch: Fetch,
        sink: Sink,
        breaker: CircuitBreaker,
        on_failure: OnFailure,
        source_url: str = "",
        allowed_origins: tuple[str, ...] = (),
    ) -> None:
        self.fetch = fetch
        self.sink = sink
        self.breaker = breaker
        self.on_failure = on_failure
        self.source_url = source_url
        self.allowed_origins = allowed_origins
        self.result = WalkResult()

    def fail(self, number: int, error: BaseException) -> None:
        """Count a page that cannot be requested (a loop, a foreign origin) as failed."""
        self.result.pages_failed += 1
        if self.breaker.record_failure():
            self.result.stopped = True
        self.on_failure(number, error)

    async def one(self, number: int, params: dict[str, str], url: str | None = None) -> Page | None:
        """Fetch and hand on one page; None if it failed."""
        try:
            page = await (self.fetch(params) if url is None else self.fetch(params, url))
            if page.records:
                await self.sink(number, page)
        except Exception as error:  # the page is the task boundary
            self.result.pages_failed += 1
            if self.breaker.record_failure():
                self.result.stopped = True
            self.on_failure(number, error)
            return None
        self.breaker.record_success()
        self.result.pages_fetched += 1
        return page


async def _walk_pages(walker: _Walker, pagination: Any, max_pages: int, concurrency: int) -> None:
    assert isinstance(pagination, PagePagination)
    semaphore = asyncio.Semaphore(concurrency)
    last: int | None = None

    def params(number: int) -> dict[str, str]:
        values = {pagination.param: str(number)}
        if pagination.size_param and pagination.size is not None:
            values[pagination.size_param] = str(pagination.size)
        return values

    async def task(number: int) -> None:
        nonlocal last
        async with semaphore:
            if walker.breaker.open or (last is not None and number > last):
                return
            page = await walker.one(number, params(number))
            if page is not None and not page.records:
                last = number if last is None else min(last, number)

    numbers = range(pagination.start, pagination.start + max_pages)
    await asyncio.gather(*(task(n) for n in numbers))
    walker.result.truncated = last is None and not walker.result.stopped


async def _walk_cursor(walker: _Walker, pagination: Any, max_pages: int, concurrency: int) -> None:
    assert isinstance(pagination, CursorPagination)
    cursor: str | None = None
    followed: set[str] = set()
    for number in range(max_pages):
        if walker.breaker.open:
            return
        page = await walker.one(number, {} if cursor is None else {pagination.param: cursor})
        if page is None:
            return
        value = dot_path(page.body, pagination.response_path)
        if value is MISSING or value is None or value == "":
            return
        if cursor is not None:
            followed.add(cursor)
        cursor = str(value)
        if cursor in followed:
            walker.result.pages_failed += 1
            walker.breaker.record_failure()
            walker.on_failure(
                number + 1,
                CursorLoopError(f"page {number} names cursor {cursor!r} again; stopping the walk"),
            )
            return
    walker.result.truncated = True


async def _walk_single(walker: _Walker, pagination: Any, max_pages: int, concurrency: int) -> None:
    await walker.one(0, {})


async def _walk_sequence(
    walker: _Walker, pagination: Any, max_pages: int, concurrency: int
) -> None:
    """Offset, Link header, next URL and header cursor: each page names the next request."""
    sequence = PageSequence(paginator_for(pagination), walker.source_url, walker.allowed_origins)
    request = sequence.first()
    for number in range(max_pages):
        if walker.breaker.open:
            return
        page = await walker.one(number, dict(request.params), request.url)
        if page is None:
            return
        response = Response(page.url or walker.source_url, page.records, page.body, page.headers)
        try:
            following = sequence.after(response)
        except (ForeignOriginError, PageLoopError) as error:
            walker.fail(number + 1, error)
            return
        if following is None:
            return
        request = following
    walker.result.truncated = True


Walk = Callable[[_Walker, Any, int, int], Awaitable[None]]
#: The walker of each kind of pagination settings (``None``: one request).
WALKERS: dict[type | None, Walk] = {
    PagePagination: _walk_pages,
    CursorPagination: _walk_cursor,
    OffsetPagination: _walk_sequence,
    LinkHeaderPagination: _walk_sequence,
    NextUrlPagination: _walk_sequence,
    CursorHeaderPagination: _walk_sequence,
    None: _walk_single,
}


async def walk(
    pagination: Pagination | None,
    *,
    max_pages: int,
    concurrency: int,
    fetch: Fetch,
    sink: Sink,
    breaker: CircuitBreaker,
    on_failure: OnFailure,
    source_url: str = "",
    allowed_origins: tuple[str, ...] = (),
) -> WalkResult:
    """Fetch every page (up to ``max_pages``), handing each page's records to ``sink``.

    ``source_url`` is the configured URL: next URLs must stay on its origin or one of
    ``allowed_origins``.
    """
    walker = _Walker(fetch, sink, breaker, on_failure, source_url, allowed_origins)
    kind = None if pagination is None else type(pagination)
    await WALKERS[kind](walker, pagination, max_pages, concurrency)
    return walker.result
