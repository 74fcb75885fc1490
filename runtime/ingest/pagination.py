"""Walking the source's pages: numbered pages concurrently, cursors one after another.

- **page** pagination requests ``start, start+1, …`` concurrently (at most
  ``concurrency`` in flight). A page with fewer than ``size`` records is the last: pages
  after it that are not started yet are skipped (at most ``concurrency - 1`` requests
  beyond the end are made and come back empty).
- **cursor** pagination is sequential by nature: each page names the next.
- **none**: one request.

Each page is its own task boundary: a page that fails (after its retries) is counted
and reported through ``on_failure`` and the other pages carry on. With cursors a failed
page ends the walk, since the next cursor is unknown. Every page's outcome is recorded
on the circuit breaker; once it opens no new page is started.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from runtime.core.breaker import CircuitBreaker
from runtime.core.settings import CursorPagination, PagePagination
from runtime.ingest.http_source import Page
from runtime.ingest.paths import MISSING, dot_path

__all__ = ["WalkResult", "walk"]

Fetch = Callable[[dict[str, str]], Awaitable[Page]]
Sink = Callable[[int, Page], Awaitable[None]]
OnFailure = Callable[[int, BaseException], None]


@dataclass
class WalkResult:
    """Pages fetched and failed, and whether the breaker stopped the walk."""

    pages_fetched: int = 0
    pages_failed: int = 0
    stopped: bool = False


class _Walker:
    def __init__(
        self, fetch: Fetch, sink: Sink, breaker: CircuitBreaker, on_failure: OnFailure
    ) -> None:
        self.fetch = fetch
        self.sink = sink
        self.breaker = breaker
        self.on_failure = on_failure
        self.result = WalkResult()

    async def one(self, number: int, params: dict[str, str]) -> Page | None:
        """Fetch and hand on one page; None if it failed."""
        try:
            page = await self.fetch(params)
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


async def _walk_pages(
    walker: _Walker, pagination: PagePagination, max_pages: int, concurrency: int
) -> None:
    semaphore = asyncio.Semaphore(concurrency)
    last: int | None = None

    def params(number: int) -> dict[str, str]:
        values = {pagination.param: str(number)}
        if pagination.size_param:
            values[pagination.size_param] = str(pagination.size)
        return values

    async def task(number: int) -> None:
        nonlocal last
        async with semaphore:
            if walker.breaker.open or (last is not None and number > last):
                return
            page = await walker.one(number, params(number))
            if page is not None and len(page.records) < pagination.size:
                last = number if last is None else min(last, number)

    numbers = range(pagination.start, pagination.start + max_pages)
    await asyncio.gather(*(task(n) for n in numbers))


async def _walk_cursor(walker: _Walker, pagination: CursorPagination, max_pages: int) -> None:
    cursor: str | None = None
    for number in range(max_pages):
        if walker.breaker.open:
            return
        page = await walker.one(number, {} if cursor is None else {pagination.param: cursor})
        if page is None:
            return
        value = dot_path(page.body, pagination.response_path)
        if value is MISSING or value is None or value == "":
            return
        cursor = str(value)


async def walk(
    pagination: CursorPagination | PagePagination | None,
    *,
    max_pages: int,
    concurrency: int,
    fetch: Fetch,
    sink: Sink,
    breaker: CircuitBreaker,
    on_failure: OnFailure,
) -> WalkResult:
    """Fetch every page (up to ``max_pages``), handing each page's records to ``sink``."""
    walker = _Walker(fetch, sink, breaker, on_failure)
    if isinstance(pagination, PagePagination):
        await _walk_pages(walker, pagination, max_pages, concurrency)
    elif isinstance(pagination, CursorPagination):
        await _walk_cursor(walker, pagination, max_pages)
    else:
        await walker.one(0, {})
    return walker.result
