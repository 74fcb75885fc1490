"""A records file served over local HTTP the way the blueprint's source paginates.

The retrieval handler then runs its real code path against it: URL, method, headers,
authentication, ``records_path`` and cursor or page pagination. Records are cut into
pages of ``page_size`` (the blueprint's ``size`` for page pagination). With ``auth``, a
request without the local placeholder secret gets HTTP 401, as a real API would answer.

What can go wrong: the file is missing, is not JSON, or holds neither a list of records
nor an object with a list at the blueprint's ``records_path`` — each a
:class:`~generator.errors.UserError` naming the file and the fix.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from generator.errors import UserError

__all__ = ["LocalSource", "load_records"]


def _dot_get(value: object, path: str) -> object:
    for part in path.split(".") if path else []:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _dot_set(target: dict[str, Any], path: str, value: object) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def load_records(path: Path, records_path: str) -> list[object]:
    """The records in ``path``: a JSON list, or an object with a list at ``records_path``.

    Raises:
        UserError: the file cannot be read or holds no list of records.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError.single(
            str(path), "the records file does not exist", hint="pass --source-file PATH"
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UserError.single(
            str(path),
            f"the records file is not JSON: {error}",
            hint='write a JSON list of records, e.g. [{"id": "A-1", ...}]',
        ) from None
    records = data if isinstance(data, list) else _dot_get(data, records_path)
    if not isinstance(records, list):
        raise UserError.single(
            str(path),
            f"holds a JSON {type(data).__name__} without a list at {records_path!r}",
            hint=f"write a JSON list of records, or an object with the list at {records_path!r}",
        )
    return records


@dataclass
class _Paging:
    records: list[object]
    source: Mapping[str, Any]
    page_size: int
    secret: str | None
    served: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def authorised(self, headers: Mapping[str, str]) -> bool:
        auth = self.source.get("auth")
        if not auth:
            return True
        if auth.get("bearer_token_parameter"):
            return headers.get("Authorization") == f"Bearer {self.secret}"
        return headers.get(auth["api_key_parameter"].get("header", "X-Api-Key")) == self.secret

    def body(self, params: Mapping[str, str]) -> dict[str, Any] | list[object]:
        pagination = self.source.get("pagination") or {}
        records_path = str(self.source.get("records_path", ""))
        size = self.page_size
        next_cursor: str | None = None
        if pagination.get("page"):
            page = pagination["page"]
            start = int(page.get("start") or 0)
            number = int(params.get(page["param"], start))
            size = int(page.get("size") or size)
            index = number - start
        elif pagination.get("cursor"):
            cursor = params.get(pagination["cursor"]["param"], "")
            index = int(cursor.removeprefix("page-")) if cursor.startswith("page-") else 0
            if (index + 1) * size < len(self.records):
                next_cursor = f"page-{index + 1}"
        else:
            index, size = 0, max(1, len(self.records))
        chunk = self.records[index * size : (index + 1) * size] if index >= 0 else []
        with self.lock:
            self.served.append(json.dumps(dict(params), sort_keys=True))
        if not records_path:
            return chunk
        body: dict[str, Any] = {}
        _dot_set(body, records_path, chunk)
        if pagination.get("cursor"):
            _dot_set(body, pagination["cursor"]["response_path"], next_cursor)
        return body


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """No access log on stderr: the run prints its own progress."""

    def _answer(self, params: Mapping[str, str]) -> None:
        paging = self.server.paging
        if not paging.authorised(dict(self.headers.items())):
            status, payload = 401, b'{"error":"unauthorized"}'
        else:
            status, payload = 200, json.dumps(paging.body(params)).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        """Query-string pagination parameters."""
        query = parse_qs(urlsplit(self.path).query)
        self._answer({k: v[-1] for k, v in query.items()})

    def do_POST(self) -> None:
        """JSON-body pagination parameters."""
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b"{}"
        params = json.loads(raw or b"{}")
        self._answer({str(k): str(v) for k, v in dict(params).items()})


class _Server(ThreadingHTTPServer):
    paging: _Paging
    daemon_threads = True


class LocalSource:
    """The records file on ``http://127.0.0.1:<port><path of the blueprint's URL>``."""

    def __init__(
        self,
        records: list[object],
        source: Mapping[str, Any],
        *,
        page_size: int,
        secret: str | None,
    ) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.paging = _Paging(records, source, page_size, secret)
        path = urlsplit(str(source["url"])).path or "/"
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}{path}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def requests(self) -> int:
        """How many pages were requested."""
        return len(self._server.paging.served)

    def stop(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()
