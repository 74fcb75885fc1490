"""A FAPI 2.0 login against panva's oidc-provider, through the local API Gateway adapter."""

from __future__ import annotations

import base64
import json

from tests.auth.support import SUB, Browser, RelyingParty, provider_login, query_of


def sign_in(rp: RelyingParty, browser: Browser, return_to: str = "/dashboard") -> str:
    """Log in; returns where the callback redirected."""
    start = browser.get(f"{rp.url}/auth/login?return_to={return_to}")
    assert start.status == 302, start.body
    callback_url = provider_login(browser, start.location)
    done = browser.get(callback_url)
    assert done.status == 302, (done.status, done.body, rp.log_lines())
    return done.headers["location"]


def test_login_reaches_a_signed_in_session(fapi_rp: RelyingParty) -> None:
    """PAR, headless login, callback and /auth/me give the user's claims, Myinfo included."""
    browser = Browser()
    assert sign_in(fapi_rp, browser) == "/dashboard"
    jar = browser.cookies(fapi_rp.url)
    assert set(jar) == {"__Host-trellis-session"}
    me = browser.get(f"{fapi_rp.url}/auth/me")
    assert me.status == 200
    assert me.headers["cache-control"] == "no-store"
    body = json.loads(me.body)
    assert body["signed_in"] is True
    assert body["claims"]["sub"] == SUB
    assert body["claims"]["name"] == "TAN AH KOW"
    assert body["claims"]["uinfin"] == "S9812381D"


def test_pushed_request_carries_what_singpass_requires(fapi_rp: RelyingParty) -> None:
    """The PAR body has PKCE S256, state, nonce, the Singpass context and a DPoP proof."""
    browser = Browser()
    start = browser.get(f"{fapi_rp.url}/auth/login?return_to=/profile")
    assert set(query_of(start.location)) == {"client_id", "request_uri"}
    method, _, headers, body = next(s for s in fapi_rp.http.sent if s[1].endswith("/request"))
    form = query_of("?" + (body or b"").decode())
    assert form["code_challenge_method"] == "S256"
    assert len(form["state"]) >= 43 and len(form["nonce"]) >= 43
    assert form["authentication_context_type"] == "APP_AUTHENTICATION_DEFAULT"
    assert "DPoP" in headers and method == "POST"
    assert "code_verifier" not in form


def test_dpop_nonce_retry_mints_a_fresh_client_assertion(fapi_nonce: RelyingParty) -> None:
    """With a required DPoP nonce, PAR and token each retry once with a new assertion jti."""
    fapi_nonce.reset()
    sign_in(fapi_nonce, Browser())
    for endpoint in ("/request", "/token"):
        sent = [s for s in fapi_nonce.http.sent if s[1].endswith(endpoint)]
        assert len(sent) == 2, endpoint
        assertions = [query_of("?" + (s[3] or b"").decode())["client_assertion"] for s in sent]
        jtis = {jwt_claims(a)["jti"] for a in assertions}
        assert len(jtis) == 2
        assert "nonce" not in jwt_claims(sent[0][2]["DPoP"])
        assert jwt_claims(sent[1][2]["DPoP"])["nonce"]
    fapi_nonce.reset()


def test_without_a_required_nonce_nothing_is_retried(fapi: RelyingParty) -> None:
    """Without a required nonce each back-channel request is sent exactly once."""
    fapi.reset()
    sign_in(fapi, Browser())
    assert [s[1].rsplit("/", 1)[-1] for s in fapi.http.sent if s[0] == "POST"] == [
        "request",
        "token",
    ]
    fapi.reset()


def test_logout_clears_the_session(fapi: RelyingParty) -> None:
    """After logout /auth/me answers 401 and both cookies are cleared."""
    fapi.reset()
    browser = Browser()
    sign_in(fapi, browser)
    out = browser.request("POST", f"{fapi.url}/auth/logout")
    assert out.status == 302
    assert sorted(c.split("=", 1)[0] for c in out.set_cookies) == [
        "__Host-trellis-auth",
        "__Host-trellis-session",
    ]
    assert browser.get(f"{fapi.url}/auth/me").status == 401


def jwt_claims(token: str) -> dict[str, object]:
    """The claims of a compact JWS, unverified (the test reads what was sent)."""
    part = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))))
