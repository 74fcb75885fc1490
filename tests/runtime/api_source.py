"""A local HTTP API that paginates, authenticates and pushes back the way real APIs do.

One threaded server on 127.0.0.1 (a free port) serves the same records in each style a
blueprint can name, so a test points a source at a path and checks what the runtime did:

- ``/github``: a JSON list, ``per_page``/``page``, GitHub's ``Link`` header
  (``<…>; rel="next", <…>; rel="last"``; relative targets with ``relative_links``);
- ``/drf``: Django REST framework's ``{"count", "next", "previous", "results"}``;
- ``/offset``: ``offset``/``limit`` with ``{"total", "items"}``;
- ``/header``: ``{"items"}`` with the next cursor in ``X-Next-Cursor``;
- ``/loop``: a cursor header that names the same cursor for ever;
- ``/foreign``: a ``Link`` whose next page is on another host.

Every endpoint filters by ``since`` (records with ``updated_at`` at or after it, oldest
first), checks the credentials it was given (:class:`ApiBehaviour` ``auth``), answers
scripted faults (``429`` with ``Retry-After``, ``503``, ``401``), and records each
request's path and headers. With POST the parameters come in a JSON body.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def stamp(seconds: int) -> str:
    """``T0`` plus ``seconds``, as the API writes timestamps."""
    return (T0 + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def ticket(number: int, *, status: str = "open", updated: int | None = None) -> dict[str, Any]:
    """One record as the API returns it."""
    return {
        "id": f"T-{number:05d}",
        "status": status,
        "title": f"Ticket {number}",
        "updated_at": stamp(number if updated is None else updated),
    }


@dataclass
class ApiBehaviour:
    """What the API holds and how it answers."""

    records: list[dict[str, Any]] = field(default_factory=lambda: [ticket(n) for n in range(45)])
    #: credential check: None (public), ("bearer", token), ("basic", user, password),
    #: ("query", name, key), or ("introspect", callable(token) -> bool)
    auth: tuple[Any, ...] | None = None
    #: request number (1-based, across the server) -> status to answer instead: 429, 503, 401
    faults: dict[int, int] = field(default_factory=dict)
    retry_after: str = "0"
    relative_links: bool = False
    requests: list[str] = field(default_factory=list)
    headers_seen: list[dict[str, str]] = field(default_factory=list)
    bodies_seen: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def change(self, numbers: list[int], *, status: str, updated: int) -> None:
        """Give records ``numbers`` a new ``status`` and ``updated_at``."""
        with self.lock:
            for number in numbers:
                self.records[number] = ticket(number, status=status, updated=updated)


def _authorised(behaviour: ApiBehaviour, headers: Mapping[str, str], query: dict[str, str]) -> bool:
    auth = behaviour.auth
    if auth is None:
        return True
    given = headers.get("Authorization", "")
    if auth[0] == "bearer":
        return given == f"Bearer {auth[1]}"
    if auth[0] == "basic":
        expected = base64.b64encode(f"{auth[1]}:{auth[2]}".encode()).decode()
        return given == f"Basic {expected}"
    if auth[0] == "query":
        return query.get(auth[1]) == auth[2]
    if auth[0] == "introspect":
        check: Callable[[str], bool] = auth[1]
        return given.startswith("Bearer ") and check(given.removeprefix("Bearer "))
    raise AssertionError(auth)


class _Handler(BaseHTTPRequestHandler):
    server: _ApiServer

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default stderr access log."""

    def _send(self, status: int, body: object, headers: Mapping[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        """Parameters from the query string."""
        self._serve(dict(parse_qsl(urlsplit(self.path).query)))

    def do_POST(self) -> None:
        """Parameters from the query string and a JSON body."""
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        with self.server.behaviour.lock:
            self.server.behaviour.bodies_seen.append(body)
        flat = {k: str(v) for k, v in body.items() if not isinstance(v, dict | list)}
        self._serve({**dict(parse_qsl(urlsplit(self.path).query)), **flat})

    def _serve(self, query: dict[str, str]) -> None:
        b = self.server.behaviour
        with b.lock:
            b.requests.append(self.path)
            b.headers_seen.append(dict(self.headers.items()))
            number = len(b.requests)
            fault = b.faults.pop(number, None)
            since = query.get("since", "")
            records = sorted(
                (r for r in b.records if r["updated_at"] >= since),
                key=lambda r: (r["updated_at"], r["id"]),
            )
        if fault is not None:
            self._send(fault, {"message": "fault"}, {"Retry-After": b.retry_after})
            return
        if not _authorised(b, self.headers, query):
            self._send(401, {"message": "Bad credentials"})
            return
        route = urlsplit(self.path).path
        handler = _ROUTES.get(route)
        if handler is None:
            self._send(404, {"message": "Not Found"})
            return
        handler(self, records, query)

    # -- styles --------------------------------------------------------------------------

    def _url(self, path: str, **params: object) -> str:
        query = dict(parse_qsl(urlsplit(self.path).query))
        query.update({k: str(v) for k, v in params.items()})
        relative = f"{path}?{urlencode(query)}"
        if self.server.behaviour.relative_links:
            return relative
        return f"http://127.0.0.1:{self.server.server_address[1]}{relative}"

    def github(self, records: list[dict[str, Any]], query: dict[str, str]) -> None:
        size = int(query.get("per_page", "30"))
        page = int(query.get("page", "1"))
        chunk = records[(page - 1) * size : page * size]
        last = max(1, -(-len(records) // size))
        links = []
        if page < last:
            links.append(f'<{self._url("/github", page=page + 1)}>; rel="next"')
            links.append(f'<{self._url("/github", page=last)}>; rel="last"')
        if page > 1:
            links.insert(0, f'<{self._url("/github", page=1)}>; rel="first"')
        self._send(200, chunk, {"Link": ", ".join(links)} if links else {})

    def drf(self, records: list[dict[str, Any]], query: dict[str, str]) -> None:
        size = 10
        page = int(query.get("page", "1"))
        more = page * size < len(records)
        self._send(
            200,
            {
                "count": len(records),
                "next": self._url("/drf", page=page + 1) if more else None,
                "previous": self._url("/drf", page=page - 1) if page > 1 else None,
                "results": records[(page - 1) * size : page * size],
            },
        )

    def offset(self, records: list[dict[str, Any]], query: dict[str, str]) -> None:
        start = int(query.get("offset", "0"))
        limit = int(query.get("limit", "10"))
        self._send(200, {"total": len(records), "items": records[start : start + limit]})

    def header(self, records: list[dict[str, Any]], query: dict[str, str]) -> None:
        start = int(query.get("cursor", "0") or "0")
        chunk = records[start : start + 10]
        more = start + 10 < len(records)
        self._send(200, {"items": chunk}, {"X-Next-Cursor": str(start + 10)} if more else {})

    def loop(self, records: list[dict[str, Any]], query: dict[str, str]) -> None:
        self._send(200, {"items": records[:10]}, {"X-Next-Cursor": "again"})

    def foreign(self, records: list[dict[str, Any]], query: dict[str, str]) -> None:
        target = "http://attacker.invalid:8080/collect?page=2"
        self._send(200, {"items": records[:10]}, {"Link": f'<{target}>; rel="next"'})


_ROUTES: dict[str, Callable[[_Handler, list[dict[str, Any]], dict[str, str]], None]] = {
    "/github": _Handler.github,
    "/drf": _Handler.drf,
    "/offset": _Handler.offset,
    "/header": _Handler.header,
    "/loop": _Handler.loop,
    "/foreign": _Handler.foreign,
}


class _ApiServer(ThreadingHTTPServer):
    daemon_threads = True
    behaviour: ApiBehaviour


class ApiSource:
    """The API on 127.0.0.1; ``reset`` a behaviour per test."""

    def __init__(self) -> None:
        self.httpd = _ApiServer(("127.0.0.1", 0), _Handler)
        self.httpd.behaviour = ApiBehaviour()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def reset(self, behaviour: ApiBehaviour | None = None) -> ApiBehaviour:
        """Serve ``behaviour`` (a fresh default one if omitted) from now on."""
        self.httpd.behaviour = behaviour or ApiBehaviour()
        return self.httpd.behaviour

    def stop(self) -> None:
        """Shut the server down."""
        self.httpd.shutdown()
        self.httpd.server_close()


def api_source(
    url: str, path: str, pagination: dict[str, Any] | None, **extra: Any
) -> dict[str, Any]:
    """A ``TRELLIS_SOURCE`` for one of the API's endpoints."""
    records_path = {"/github": "", "/drf": "results"}.get(path, "items")
    return {
        "url": f"{url}{path}",
        "method": "GET",
        "headers": {},
        "query": {},
        "body": None,
        "auth": None,
        "records_path": records_path,
        "pagination": pagination,
        "allowed_origins": [],
        "max_requests_per_second": None,
        "max_pages": 100,
        "timeout_seconds": 5,
        **extra,
    }


def now_stamp() -> str:
    """The current time as the API writes it (for records changed during a test)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def create_state_table(pipeline_name: str) -> str:
    """The pipeline's state table on the moto server, keyed as the generator creates it."""
    import boto3

    from runtime import contract

    name = f"{pipeline_name}-state"
    boto3.client("dynamodb").create_table(
        TableName=name,
        AttributeDefinitions=[
            {"AttributeName": contract.STATE_KEY_ATTRIBUTE, "AttributeType": "S"}
        ],
        KeySchema=[{"AttributeName": contract.STATE_KEY_ATTRIBUTE, "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return name


def incremental_env(
    state_table: str,
    *,
    param: str | None = "since",
    initial: str | int = "2023-12-31T00:00:00Z",
    lag_seconds: int = 0,
) -> dict[str, str]:
    """TRELLIS_INCREMENTAL and TRELLIS_STATE_TABLE for the API's ``updated_at``."""
    from runtime import contract

    settings = {
        "param": param,
        "response_path": "updated_at",
        "initial": initial,
        "lag_seconds": lag_seconds,
    }
    return {contract.INCREMENTAL: json.dumps(settings), contract.STATE_TABLE: state_table}
