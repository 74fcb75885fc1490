"""``spec.source.http.pagination``: exactly one of the styles real APIs use.

Page number, offset/limit, cursor in the body or in a header, the ``Link`` header, a next
URL in the body. The style names are the contract's
(:data:`runtime.contract.ingestion_source.PAGINATION_STYLES`).
"""

from __future__ import annotations

from pydantic import Field, model_validator

from generator.blueprint.kinds.common import DotPath, HeaderName, StrictModel, rule_error
from generator.kinds.ingestion.source_values import ParamName
from runtime.contract.ingestion_source import PAGINATION_STYLES, PaginationStyle


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


FOLLOWS_URLS: tuple[PaginationStyle, ...] = ("link_header", "next_url")
"""The styles whose next request is a URL the source hands out (``allowed_origins``)."""


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
    def style(self) -> PaginationStyle:
        """The name of the chosen style."""
        return next(n for n in PAGINATION_STYLES if getattr(self, n) is not None)

    @property
    def params(self) -> tuple[str, ...]:
        """The request parameters the walk sets itself."""
        chosen = getattr(self, self.style)
        names = ("param", "size_param", "limit_param")
        return tuple(getattr(chosen, n) for n in names if getattr(chosen, n, None) is not None)
