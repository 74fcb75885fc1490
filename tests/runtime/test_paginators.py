"""Paginators: Link header parsing, next URLs, offsets, header cursors, origin and loop guards."""

from __future__ import annotations

import pytest

from runtime.contract.ingestion_source import (
    CursorHeaderPagination,
    LinkHeaderPagination,
    NextUrlPagination,
    OffsetPagination,
)
from runtime.ingest.paginators import (
    ForeignOriginError,
    PageLoopError,
    PageSequence,
    Request,
    Response,
    paginator_for,
    parse_link_header,
)

BASE = "https://api.example.com/v1/items"


def response(url: str = BASE, records: int = 1, body: object = None, **headers: str) -> Response:
    """A page as the walk hands it to a paginator."""
    return Response(url=url, records=[{}] * records, body=body, headers=headers)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            '<https://api.github.com/repositories/1/issues?page=2>; rel="next", '
            '<https://api.github.com/repositories/1/issues?page=5>; rel="last"',
            [
                ("https://api.github.com/repositories/1/issues?page=2", {"rel": "next"}),
                ("https://api.github.com/repositories/1/issues?page=5", {"rel": "last"}),
            ],
        ),
        ("</items?page=2>;rel=next", [("/items?page=2", {"rel": "next"})]),
        ('  < /a >  ;  REL = "Next"  ', [("/a", {"rel": "Next"})]),
        (
            '<https://x/2>; title="a, b; c"; rel="prev next", <https://x/9>; rel=last',
            [
                ("https://x/2", {"title": "a, b; c", "rel": "prev next"}),
                ("https://x/9", {"rel": "last"}),
            ],
        ),
        ('<https://x/2>; rel="next"; rel="last"', [("https://x/2", {"rel": "next"})]),
        ('garbage, <https://x/3>; rel="next"', [("https://x/3", {"rel": "next"})]),
        ('<https://x/3>; rel="next', [("https://x/3", {"rel": ""})]),
        ("", []),
        ("<unterminated", []),
    ],
    ids=[
        "github",
        "relative-unquoted",
        "spaces-case",
        "quoted-comma",
        "first-rel-wins",
        "leading-garbage",
        "unclosed-quote",
        "empty",
        "unterminated",
    ],
)
def test_link_header_parsing_is_tolerant(header: str, expected: object) -> None:
    """Real-world Link headers parse to their targets and parameters (RFC 8288)."""
    assert parse_link_header(header) == expected


def test_link_paginator_follows_rel_next_relative_or_absolute() -> None:
    """A relative next target resolves against the page's URL; no next link ends the walk."""
    paginator = paginator_for(LinkHeaderPagination())
    assert paginator.first() == Request()
    page = response(link='</v1/items?page=2&since=x>; rel="next", </v1/items?page=9>; rel="last"')
    assert paginator.next(page) == Request(url="https://api.example.com/v1/items?page=2&since=x")
    assert (
        paginator.next(response(link='<https://api.example.com/v1/items?page=1>; rel="first"'))
        is None
    )
    assert paginator.next(response()) is None


def test_next_url_paginator_reads_the_body() -> None:
    """DRF's next URL is followed; null or an empty string ends the walk."""
    paginator = paginator_for(NextUrlPagination(response_path="next"))
    assert paginator.next(
        response(body={"next": "https://api.example.com/v1/items?page=2"})
    ) == Request(url="https://api.example.com/v1/items?page=2")
    assert paginator.next(response(body={"next": "?page=3"})) == Request(url=BASE + "?page=3")
    for body in ({"next": None}, {"next": ""}, {}, {"next": 7}):
        assert paginator.next(response(body=body)) is None


def test_offset_paginator_stops_at_the_total_or_an_empty_page() -> None:
    """Offsets grow by the limit; the total (when given) or an empty page ends the walk."""
    settings = OffsetPagination(limit=10, total_path="total")
    paginator = paginator_for(settings)
    assert paginator.first() == Request(params={"offset": "0", "limit": "10"})
    assert paginator.next(response(body={"total": 25})) == Request(
        params={"offset": "10", "limit": "10"}
    )
    assert paginator.next(response(body={"total": 25})) == Request(
        params={"offset": "20", "limit": "10"}
    )
    assert paginator.next(response(body={"total": 25})) is None
    empty = paginator_for(settings)
    empty.first()
    assert empty.next(response(records=0, body={"total": 99})) is None
    untotalled = paginator_for(OffsetPagination(limit=10, start=90))
    untotalled.first()
    assert untotalled.next(response(body={})) == Request(params={"offset": "100", "limit": "10"})


def test_cursor_header_paginator() -> None:
    """The header's value becomes the next request's parameter; no header ends the walk."""
    paginator = paginator_for(CursorHeaderPagination(header="X-Next-Cursor", param="cursor"))
    assert paginator.next(response(**{"x-next-cursor": "abc"})) == Request(params={"cursor": "abc"})
    assert paginator.next(response(**{"x-next-cursor": " "})) is None
    assert paginator.next(response()) is None


@pytest.mark.parametrize(
    "target",
    [
        "https://attacker.example/v1/items?page=2",
        "http://api.example.com/v1/items?page=2",
        "https://api.example.com:8443/v1/items?page=2",
        "https://api.example.com.attacker.example/v1/items",
        "https://user@attacker.example/",
        "//attacker.example/v1/items",
        "https://api.example.com:notaport/",
    ],
)
def test_a_next_url_on_another_origin_is_refused(target: str) -> None:
    """Scheme, host and port must match the source's URL, or the walk stops."""
    sequence = PageSequence(paginator_for(LinkHeaderPagination()), BASE)
    sequence.first()
    with pytest.raises(ForeignOriginError, match="another origin"):
        sequence.after(response(link=f'<{target}>; rel="next"'))


def test_allowed_origins_and_same_origin_spellings_are_followed() -> None:
    """An allow-listed origin is followed, and so is the same origin with an explicit port."""
    sequence = PageSequence(
        paginator_for(LinkHeaderPagination()), BASE, ("https://cdn.example.com",)
    )
    sequence.first()
    for target in ("https://cdn.example.com/p2", "https://API.example.com:443/v1/items?page=3"):
        assert sequence.after(response(link=f'<{target}>; rel="next"')) == Request(url=target)


def test_the_refusal_names_no_query_string() -> None:
    """The error names the foreign host but not the query string, which may hold a key."""
    sequence = PageSequence(paginator_for(NextUrlPagination("next")), BASE)
    with pytest.raises(ForeignOriginError) as caught:
        sequence.after(response(body={"next": "https://evil.example/x?api_key=secret"}))
    assert "evil.example" in str(caught.value)
    assert "secret" not in str(caught.value)


def test_a_repeated_request_is_a_loop() -> None:
    """The same cursor twice, or a next link back to an earlier page, stops the walk."""
    cursor = PageSequence(paginator_for(CursorHeaderPagination("X-Next", "c")), BASE)
    cursor.first()
    assert cursor.after(response(**{"x-next": "a"})) == Request(params={"c": "a"})
    assert cursor.after(response(**{"x-next": "b"})) == Request(params={"c": "b"})
    with pytest.raises(PageLoopError, match="already fetched"):
        cursor.after(response(**{"x-next": "a"}))
    link = PageSequence(paginator_for(LinkHeaderPagination()), BASE)
    link.first()
    with pytest.raises(PageLoopError):
        link.after(response(link=f'<{BASE}>; rel="next"'))
