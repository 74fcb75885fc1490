"""The local adapter: HTTP on 127.0.0.1 in, API Gateway v2 events to the handlers, out."""

from __future__ import annotations

import json

from runtime.auth.local import event_for, routes_from_environment, serve
from tests.auth.support import PARAMETERS, Browser, auth_environment


def test_event_matches_the_http_api_payload_v2_shape() -> None:
    """Cookies are split out, headers lower-cased, repeated query values comma-joined."""
    event = event_for(
        "GET", "/auth/callback?code=a&state=b&state=c",
        {"Cookie": "x=1; y=2", "Host": "127.0.0.1:9"}, b"", "GET /auth/callback",
    )  # fmt: skip
    assert event["version"] == "2.0"
    assert event["cookies"] == ["x=1", "y=2"]
    assert event["rawQueryString"] == "code=a&state=b&state=c"
    assert event["queryStringParameters"] == {"code": "a", "state": "b,c"}
    assert "cookie" not in event["headers"] and event["headers"]["host"] == "127.0.0.1:9"
    assert event["requestContext"]["http"]["method"] == "GET"


def test_routes_from_one_environment_serve_every_handler(parameters: dict[str, str]) -> None:
    """`python -m runtime.auth.local`'s routes answer /auth/me, the JWKS and logout."""
    every = {key for keys in PARAMETERS.values() for key in keys}
    env = auth_environment(
        "login", profile="fapi2", issuer="https://id.example",
        redirect_uri="https://portal.example/auth/callback",
        names={k: v for k, v in parameters.items() if k in every},
    )  # fmt: skip
    settings = json.loads(env["TRELLIS_AUTH"])
    settings["parameters"] = {key: parameters[key] for key in every}
    env["TRELLIS_AUTH"] = json.dumps(settings)
    server = serve(routes_from_environment(env))
    try:
        browser = Browser()
        assert browser.get(f"{server.url}/auth/me").status == 401
        keys = json.loads(browser.get(f"{server.url}/auth/jwks.json").body)["keys"]
        assert sorted(k["kid"] for k in keys) == ["rp-enc-1", "rp-sig-1"]
        assert browser.request("POST", f"{server.url}/auth/logout").status == 302
        assert browser.get(f"{server.url}/nowhere").status == 404
    finally:
        server.close()
