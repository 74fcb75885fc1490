"""The legacy profile against @opengovsg/mockpass (Singpass v2).

mockpass checks neither PKCE, redirect_uri nor jti, reuses codes and crashes on an
unknown one, so nothing here relies on it to reject anything: every refusal below
happens in our callback before the token endpoint is called.
"""

from __future__ import annotations

import json

from tests.auth.support import Browser, RelyingParty, query_of, with_query


def authorize(rp: RelyingParty, browser: Browser) -> str:
    """Start a login and let mockpass sign in; the callback URL it sends the browser to."""
    start = browser.get(f"{rp.url}/auth/login?return_to=/profile")
    assert start.status == 302, start.body
    sent = query_of(start.location)
    assert sent["code_challenge_method"] == "S256" and sent["scope"] == "openid"
    assert "request_uri" not in sent
    reply = browser.get(start.location)
    assert reply.status == 302, reply.body[:300]
    assert reply.location.startswith(f"{rp.url}/auth/callback")
    return reply.location


def test_legacy_login_reaches_a_signed_in_session(legacy: RelyingParty) -> None:
    """mockpass's encrypted, signed id_token is checked and becomes a session."""
    legacy.reset()
    browser = Browser()
    done = browser.get(authorize(legacy, browser))
    assert done.status == 302, legacy.log_lines()
    assert done.headers["location"] == "/profile"
    me = json.loads(browser.get(f"{legacy.url}/auth/me").body)
    assert me["signed_in"] is True
    assert me["claims"]["sub"].startswith("s=S8979373D")
    token_calls = [s for s in legacy.http.sent if s[1].endswith("/token")]
    assert len(token_calls) == 1 and "DPoP" not in token_calls[0][2]


def rejected(rp: RelyingParty, reply_status: int, reason: str) -> None:
    """The callback failed closed with ``reason`` and mockpass's token endpoint was not called."""
    assert reply_status == 400
    assert [line["reason"] for line in rp.log_lines() if "reason" in line] == [reason]
    assert not [s for s in rp.http.sent if s[1].endswith("/token")]


def test_replayed_callback_is_refused_before_the_token_call(legacy: RelyingParty) -> None:
    """A callback replayed after success has no state cookie: refused without redeeming."""
    legacy.reset()
    browser = Browser()
    url = authorize(legacy, browser)
    assert browser.get(url).status == 302
    legacy.reset()
    rejected(legacy, browser.get(url).status, "state_cookie_missing")


def test_state_mismatch_is_refused_before_the_token_call(legacy: RelyingParty) -> None:
    """A callback whose state is not the cookie's is refused without redeeming the code."""
    legacy.reset()
    browser = Browser()
    url = authorize(legacy, browser)
    legacy.reset()
    rejected(legacy, browser.get(with_query(url, state="forged")).status, "state_mismatch")


def test_another_browsers_code_is_refused(legacy: RelyingParty) -> None:
    """A code obtained in one browser, played in another browser's callback, is refused."""
    legacy.reset()
    victim, attacker = Browser(), Browser()
    attacker_url = authorize(legacy, attacker)
    victim_url = authorize(legacy, victim)
    legacy.reset()
    forged = with_query(victim_url, code=query_of(attacker_url)["code"], state="x")
    rejected(legacy, victim.get(forged).status, "state_mismatch")
