"""Serve the auth handlers on 127.0.0.1, translating HTTP to API Gateway v2 events.

Each request becomes an HTTP API payload 2.0 event (``rawPath``, ``rawQueryString``,
``cookies``, lower-case ``headers``, ``requestContext.http``) and the handler's response
dict becomes the HTTP response (one ``Set-Cookie`` per entry of ``cookies``). Routes are
``"METHOD /path"`` keys, like the HTTP API's route keys. Used by the tests and by the
local run; it binds only to the loopback address.

Run all five handlers from one environment (every parameter of ``TRELLIS_AUTH`` set)::

    python -m runtime.auth.local --port 8080
"""

from __future__ import annotations

import argparse
import base64
import os
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from runtime import contract

__all__ = [
    "Handler",
    "LocalServer",
    "event_for",
    "routes_from_environment",
    "routes_from_environments",
    "serve",
]

Handler = Callable[[dict[str, Any]], dict[str, Any]]


def event_for(
    method: str, target: str, headers: Mapping[str, str], body: bytes, route_key: str
) -> dict[str, Any]:
    """The payload 2.0 event API Gateway would send for this request."""
    path, _, raw_query = target.partition("?")
    lower = {k.lower(): v for k, v in headers.items()}
    cookie_header = lower.pop("cookie", "")
    cookies = [c.strip() for c in cookie_header.split(";") if c.strip()]
    query: dict[str, str] = {}
    for pair in raw_query.split("&") if raw_query else []:
        key, _, value = pair.partition("=")
        query[key] = f"{query[key]},{value}" if key in query else value
    now = time.time()
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": raw_query,
        "headers": lower,
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "local",
            "domainName": lower.get("host", "127.0.0.1"),
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": lower.get("user-agent", ""),
            },
            "requestId": uuid.uuid4().hex,
            "routeKey": route_key,
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = query
    if body:
        event["body"] = base64.b64encode(body).decode("ascii")
        event["isBase64Encoded"] = True
    return event


class _Handler(BaseHTTPRequestHandler):
    routes: Mapping[str, Handler] = {}

    def _serve(self) -> None:
        path = self.path.split("?", 1)[0]
        route_key = f"{self.command} {path}"
        handler = self.routes.get(route_key)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if handler is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        event = event_for(self.command, self.path, dict(self.headers.items()), body, route_key)
        response = handler(event)
        payload = response.get("body") or ""
        data = base64.b64decode(payload) if response.get("isBase64Encoded") else payload.encode()
        self.send_response(int(response.get("statusCode", 200)))
        for name, value in (response.get("headers") or {}).items():
            self.send_header(name, str(value))
        for cookie in response.get("cookies") or []:
            self.send_header("Set-Cookie", cookie)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _serve  # the names http.server dispatches to

    def log_message(self, format: str, *args: object) -> None:  # quiet: handlers log JSON
        return


class LocalServer:
    """A running adapter: its base URL, and :meth:`close` to stop it."""

    def __init__(self, routes: Mapping[str, Handler], port: int = 0) -> None:
        handler = type("Routes", (_Handler,), {"routes": dict(routes)})
        self._server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()


def serve(routes: Mapping[str, Handler], port: int = 0) -> LocalServer:
    """Start serving ``routes`` on 127.0.0.1 (``port`` 0 picks a free one)."""
    return LocalServer(routes, port)


def routes_from_environment(env: Mapping[str, str]) -> dict[str, Handler]:
    """The five routes, each handler with its own context built from ``env``."""
    return routes_from_environments(dict.fromkeys(contract.AUTH_FLOW_FUNCTIONS, env))


def routes_from_environments(envs: Mapping[str, Mapping[str, str]]) -> dict[str, Handler]:
    """The five routes, each function's handler built from its own environment.

    ``envs`` maps each function (``login``, ``callback``, ``session``, ``logout``,
    ``jwks``) to the variables the stack sets on it; the callback's route is the path of
    the login function's ``redirect_uri``.

    Raises:
        KeyError: a function has no environment.
        SettingsError: an environment is missing a variable or holds a malformed one.
    """
    from runtime.auth import callback, jwks, login, logout, session
    from runtime.auth.context import from_environment
    from runtime.contract.auth_flow import AuthFunction

    base = from_environment(envs["login"])
    callback_path = "/" + base.settings.flow.redirect_uri.split("://", 1)[-1].split("/", 1)[-1]

    def bound(module: Any, function: AuthFunction) -> Handler:
        ctx = from_environment(envs[function], http=base.http)
        ctx.settings = replace(ctx.settings, function=function)
        return lambda event: dict(module.handle(ctx, event))

    return {
        "GET /auth/login": bound(login, "login"),
        f"GET {callback_path}": bound(callback, "callback"),
        "GET /auth/me": bound(session, "session"),
        "GET /auth/logout": bound(logout, "logout"),
        "POST /auth/logout": bound(logout, "logout"),
        "GET /.well-known/jwks.json": bound(jwks, "jwks"),
        "GET /auth/jwks.json": bound(jwks, "jwks"),
    }


def main() -> None:
    """``python -m runtime.auth.local``: serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    server = serve(routes_from_environment(os.environ), args.port)
    print(f"serving the auth handlers on {server.url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.close()


if __name__ == "__main__":
    main()
