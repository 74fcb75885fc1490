"""Resuming retrieval where it stopped: the walk's cursor kept in an SSM parameter.

When a run fails part-way, the next run should not start again from the first page. The
retrieval function keeps a checkpoint in ``TRELLIS_CHECKPOINT_PARAMETER``
(``/trellis/<env>/<blueprint>/checkpoint``, a String parameter it creates on first use):

- **page** pagination: the lowest page number that failed. Pages are fetched
  concurrently, so later pages may have succeeded too; they are fetched again, which the
  processor's change hash makes harmless.
- **cursor** pagination: the cursor of the page that failed (the walk ends there).
- no pagination: nothing to resume; no checkpoint is written.

A run that completes without a failed page clears the checkpoint (writes ``{}``), so the
next run starts from the first page again. The checkpoint is read once at the start of a
run and written once at its end.

:class:`ResumableWalk` does this without changing the walk itself: it starts page
pagination at the checkpoint's page and substitutes the checkpoint's cursor for the
first cursor request, and it watches each fetch's outcome.

What can go wrong: a checkpoint that is not valid JSON (edited by hand) is ignored with a
warning and the run starts from the first page; SSM errors after retries propagate.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from runtime import contract
from runtime.core import logs
from runtime.core.aws import classify_aws_error
from runtime.core.capabilities import Capability
from runtime.core.retry import Retrier
from runtime.core.settings import CursorPagination, PagePagination, Pagination
from runtime.ingest.http_source import Page

__all__ = [
    "CAPABILITIES",
    "CHECKPOINT_PARAMETER_VARIABLE",
    "Checkpoint",
    "CheckpointStore",
    "ResumableWalk",
]

CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        component="ingest.checkpoint",
        resource="checkpoint",
        actions=("ssm:GetParameter", "ssm:PutParameter"),
    ),
)

CHECKPOINT_PARAMETER_VARIABLE = contract.CHECKPOINT_PARAMETER
_log = logs.get_logger("ingest.checkpoint")

Fetch = Callable[..., Awaitable[Page]]
"""``fetch(params)`` for the configured URL, ``fetch(params, url)`` for a next URL."""


@dataclass(frozen=True)
class Checkpoint:
    """Where the next run starts: a page number or a cursor, and which run left it."""

    page: int | None = None
    cursor: str | None = None
    correlation_id: str = ""
    saved_at: int = 0

    @property
    def empty(self) -> bool:
        """True when there is nothing to resume."""
        return self.page is None and self.cursor is None


class CheckpointStore:
    """The checkpoint parameter, read and written through ``ssm_client``."""

    def __init__(self, ssm_client: Any, parameter: str, retrier: Retrier) -> None:
        self._ssm = ssm_client
        self.parameter = parameter
        self._retrier = retrier

    @classmethod
    def from_environment(
        cls, env: Mapping[str, str], ssm_client: Any, retrier: Retrier
    ) -> CheckpointStore | None:
        """The store named by ``TRELLIS_CHECKPOINT_PARAMETER``, or None when it is not set."""
        name = env.get(CHECKPOINT_PARAMETER_VARIABLE, "").strip()
        return cls(ssm_client, name, retrier) if name else None

    def load(self) -> Checkpoint:
        """The saved checkpoint (empty when there is none or it is unreadable)."""
        from botocore.exceptions import ClientError  # botocore comes with boto3

        try:
            response = self._retrier.call(
                "ssm.GetParameter",
                lambda: self._ssm.get_parameter(Name=self.parameter),
                classify_aws_error,
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ParameterNotFound":
                return Checkpoint()
            raise
        raw = str(response["Parameter"]["Value"])
        try:
            data = json.loads(raw)
            page = data.get("page")
            cursor = data.get("cursor")
            return Checkpoint(
                page=int(page) if page is not None else None,
                cursor=str(cursor) if cursor is not None else None,
                correlation_id=str(data.get("correlation_id", "")),
                saved_at=int(data.get("saved_at", 0)),
            )
        except (ValueError, TypeError, AttributeError):
            _log.warning(
                "checkpoint unreadable: starting from the first page",
                extra={"fields": {"parameter": self.parameter, "value": raw[:200]}},
            )
            return Checkpoint()

    def save(self, checkpoint: Checkpoint) -> None:
        """Write ``checkpoint`` (an empty one clears it)."""
        data = {} if checkpoint.empty else dataclasses.asdict(checkpoint)
        value = json.dumps(data, sort_keys=True, separators=(",", ":"))
        self._retrier.call(
            "ssm.PutParameter",
            lambda: self._ssm.put_parameter(
                Name=self.parameter, Value=value, Type="String", Overwrite=True
            ),
            classify_aws_error,
        )


class ResumableWalk:
    """Starts a walk at the checkpoint and remembers where it should resume next time."""

    def __init__(self, store: CheckpointStore, correlation_id: str) -> None:
        self.store = store
        self.correlation_id = correlation_id
        self.resumed_from = Checkpoint()
        self._failed_pages: list[int] = []
        self._failed_cursor: str | None = None
        self._lock = threading.Lock()

    def begin(self, pagination: Pagination | None, fetch: Fetch) -> tuple[Pagination | None, Fetch]:
        """The pagination and fetch to walk with: started at the checkpoint, watched.

        Only page and cursor pagination resume; the styles that follow the source's own
        next links (offset, Link header, next URL, header cursor) start from the first
        page, and next URLs are passed through unchanged.
        """
        self.resumed_from = self.store.load()
        start = self.resumed_from
        page = start.page
        if isinstance(pagination, PagePagination) and page is not None and page > pagination.start:
            pagination = dataclasses.replace(pagination, start=page)
        resume_cursor = start.cursor if isinstance(pagination, CursorPagination) else None
        if not start.empty:
            _log.info(
                "resuming from checkpoint",
                extra={
                    "fields": {
                        "page": start.page,
                        "cursor": start.cursor,
                        "left_by": start.correlation_id,
                    }
                },
            )

        async def watched(params: dict[str, str], url: str | None = None) -> Page:
            if isinstance(pagination, CursorPagination) and resume_cursor and not params:
                params = {pagination.param: resume_cursor}
            try:
                return await (fetch(params) if url is None else fetch(params, url))
            except Exception:
                self._failed(pagination, params)
                raise

        return pagination, watched

    def _failed(self, pagination: Pagination | None, params: dict[str, str]) -> None:
        with self._lock:
            if isinstance(pagination, PagePagination):
                self._failed_pages.append(int(params[pagination.param]))
            elif isinstance(pagination, CursorPagination):
                self._failed_cursor = params.get(pagination.param)

    def next_checkpoint(self) -> Checkpoint:
        """Where the next run should start (empty when this run had no failed page)."""
        stamp = int(time.time() * 1000)
        if self._failed_pages:
            return Checkpoint(
                page=min(self._failed_pages), correlation_id=self.correlation_id, saved_at=stamp
            )
        if self._failed_cursor is not None:
            return Checkpoint(
                cursor=self._failed_cursor, correlation_id=self.correlation_id, saved_at=stamp
            )
        return Checkpoint()

    def finish(self) -> Checkpoint:
        """Save the next checkpoint (or clear a stale one) and return it."""
        checkpoint = self.next_checkpoint()
        if not checkpoint.empty or not self.resumed_from.empty:
            self.store.save(checkpoint)
        if not checkpoint.empty:
            _log.warning(
                "checkpoint saved: the next run resumes here",
                extra={"fields": {"page": checkpoint.page, "cursor": checkpoint.cursor}},
            )
        return checkpoint
