"""Fixtures for the IAM tests: moto in server mode, a local HTTP source, the call recorder."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.plugins.aws_calls import aws_calls, install

__all__ = ["aws_calls"]

install()  # hook botocore before any session exists, so every client is seen

TOKEN = "s3cr3t-token"
RECORDS = [
    {"id": "o-1", "status": "new", "amount": {"total": 10}, "updated_at": "2026-11-01T00:00:00Z"},
    {"id": "o-2", "status": "paid", "amount": {"total": 25}, "updated_at": "2026-11-01T00:00:00Z"},
    {"id": "o-3", "status": "new", "amount": {"total": 7}, "updated_at": "2026-11-01T00:00:00Z"},
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """A moto server on 127.0.0.1 for the whole session; its URL."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


class _Orders(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # the name http.server calls
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self.send_response(401)
            self.end_headers()
            return
        body = json.dumps({"data": {"items": RECORDS}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        return


@pytest.fixture(scope="session")
def orders_source() -> Iterator[str]:
    """A local HTTP API serving one page of orders to a bearer token; its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Orders)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/orders"
    finally:
        server.shutdown()
        server.server_close()
