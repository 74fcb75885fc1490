"""Every attack in the issue fails closed, against the real FAPI 2.0 provider.

Failing closed means: an error status, no session cookie set, both cookies cleared,
``/auth/me`` answers 401, exactly one log line naming the reason, and no key material
(private key ``d`` values, state keys) in any log line. Table-driven: each case is a
small deviation from a real login, and the reason it must be refused with.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from joserfc.jwk import ECKey

from runtime.auth import dpop
from runtime.auth.http import Response
from tests.auth import forge
from tests.auth.support import (
    Browser,
    RelyingParty,
    Reply,
    provider_login,
    query_of,
    with_query,
)

STATE = "__Host-trellis-auth"
SESSION = "__Host-trellis-session"


def begin(rp: RelyingParty, browser: Browser) -> str:
    """Start a login and sign in at the provider; the callback URL (not yet followed)."""
    start = browser.get(f"{rp.url}/auth/login?return_to=/dashboard")
    assert start.status == 302, rp.log_lines()
    return provider_login(browser, start.location)


# -- tampering helpers ----------------------------------------------------------------------


def _rewrite_cookie(browser: Browser, rp: RelyingParty, change: Callable[[str], str]) -> None:
    jar = browser.cookies(rp.url)
    jar[STATE] = change(jar[STATE])


def _flip(token: str) -> str:
    parts = token.split(".")
    body = parts[3]
    parts[3] = ("A" if body[5] != "A" else "B").join((body[:5], body[6:]))
    return ".".join(parts)


def _other_kid(token: str) -> str:
    header = json.loads(forge.base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    header["kid"] = "2099-01"
    return ".".join([forge.b64(json.dumps(header).encode()), *token.split(".")[1:]])


def _replace_id_token(rp: RelyingParty, make: Callable[[dict[str, Any]], str]) -> None:
    def on_response(method: str, url: str, response: Response) -> Response:
        if not url.endswith("/token") or response.status != 200:
            return response
        tokens = json.loads(response.body)
        tokens["id_token"] = make(forge.real_claims(tokens["id_token"], rp.keys))
        return Response(response.status, json.dumps(tokens).encode(), response.headers)

    rp.http.on_response = on_response


def _rewrite_token_request(
    rp: RelyingParty, change: Callable[[dict[str, str], dict[str, str]], None]
) -> None:
    def on_request(
        method: str, url: str, headers: dict[str, str], body: bytes | None
    ) -> tuple[dict[str, str], bytes | None]:
        if not url.endswith("/token"):
            return headers, body
        form = query_of("?" + (body or b"").decode())
        change(headers, form)
        return headers, forge_form(form)

    rp.http.on_request = on_request


def forge_form(form: dict[str, str]) -> bytes:
    """A form body."""
    from urllib.parse import urlencode

    return urlencode(form).encode()


def _other_dpop_key(headers: dict[str, str], form: dict[str, str]) -> None:
    original = json.loads(forge.base64.urlsafe_b64decode(headers["DPoP"].split(".")[1] + "=="))
    headers["DPoP"] = dpop.proof(
        dpop.new_key(),
        "POST",
        original["htu"],
        now=int(time.time()),
        nonce=original.get("nonce"),
    )


def _wrong_verifier(headers: dict[str, str], form: dict[str, str]) -> None:
    form["code_verifier"] = "x" * 43 + form["code_verifier"][43:]


# -- the cases --------------------------------------------------------------------------------

Attack = Callable[[RelyingParty, Browser], Reply]


@dataclass(frozen=True)
class Case:
    """One attack and the reason it must be refused with."""

    name: str
    reason: str
    run: Attack


def _callback_after(prepare: Callable[[RelyingParty, Browser], None]) -> Attack:
    def run(rp: RelyingParty, browser: Browser) -> Reply:
        url = begin(rp, browser)
        prepare(rp, browser)
        return browser.get(url)

    return run


def _callback_url(change: Callable[[str], str]) -> Attack:
    def run(rp: RelyingParty, browser: Browser) -> Reply:
        return browser.get(change(begin(rp, browser)))

    return run


def _replayed_code(rp: RelyingParty, browser: Browser) -> Reply:
    victim = Browser()
    url = begin(rp, victim)
    cookie = victim.cookies(rp.url)[STATE]
    assert victim.get(url).status == 302  # the genuine callback signs the victim in
    rp.reset()
    browser.cookies(rp.url)[STATE] = cookie  # the attacker replays the request and cookie
    return browser.get(url)


def _another_logins_code(rp: RelyingParty, browser: Browser) -> Reply:
    theirs = begin(rp, Browser())
    mine = begin(rp, browser)
    return browser.get(with_query(mine, code=query_of(theirs)["code"]))


def _id_token(make: Callable[[dict[str, Any], Any], str]) -> Attack:
    def run(rp: RelyingParty, browser: Browser) -> Reply:
        url = begin(rp, browser)
        _replace_id_token(rp, lambda claims: make(claims, rp.keys))
        return browser.get(url)

    return run


def _token_request(change: Callable[[dict[str, str], dict[str, str]], None]) -> Attack:
    def run(rp: RelyingParty, browser: Browser) -> Reply:
        url = begin(rp, browser)
        _rewrite_token_request(rp, change)
        return browser.get(url)

    return run


def _return_path(raw: str) -> Attack:
    def run(rp: RelyingParty, browser: Browser) -> Reply:
        reply = browser.get(f"{rp.url}/auth/login?return_to={raw}")
        assert not [s for s in rp.http.sent if s[1].endswith("/request")]
        return reply

    return run


def _resigned(**changes: Any) -> Callable[[dict[str, Any], Any], str]:
    return lambda claims, keys: forge.encrypt(
        forge.sign({**claims, **changes}, keys.provider), keys
    )


def _later(seconds: int) -> Callable[[RelyingParty, Browser], None]:
    def move(rp: RelyingParty, browser: Browser) -> None:
        rp.clock.offset = seconds

    return move


NOW = int(time.time())
CASES = [
    Case("state cookie tampered", "state_cookie_tampered",
         _callback_after(lambda rp, b: _rewrite_cookie(b, rp, _flip))),
    Case("state cookie expired", "state_cookie_expired", _callback_after(_later(601))),
    Case("state cookie with an unknown kid", "state_cookie_unknown_kid",
         _callback_after(lambda rp, b: _rewrite_cookie(b, rp, _other_kid))),
    Case("state cookie missing", "state_cookie_missing",
         _callback_after(lambda rp, b: b.cookies(rp.url).pop(STATE))),
    Case("state mismatch", "state_mismatch",
         _callback_url(lambda url: with_query(url, state="attacker-state"))),
    Case("wrong iss", "iss_mismatch",
         _callback_url(lambda url: with_query(url, iss="https://evil.example"))),
    Case("missing iss", "iss_missing", _callback_url(lambda url: with_query(url, iss=None))),
    Case("replayed code", "token_rejected", _replayed_code),
    Case("another login's code", "token_rejected", _another_logins_code),
    Case("token call with another DPoP key", "token_rejected", _token_request(_other_dpop_key)),
    Case("wrong PKCE verifier", "token_rejected", _token_request(_wrong_verifier)),
    Case("id_token wrong nonce", "id_token_nonce_mismatch", _id_token(_resigned(nonce="n"))),
    Case("id_token wrong aud", "id_token_aud_mismatch", _id_token(_resigned(aud="other"))),
    Case("id_token wrong iss", "id_token_iss_mismatch",
         _id_token(_resigned(iss="https://evil.example"))),
    Case("id_token expired", "id_token_expired",
         _id_token(_resigned(iat=NOW - 7200, exp=NOW - 3600))),
    Case("id_token alg none", "id_token_alg_not_allowed",
         _id_token(lambda c, k: forge.encrypt(forge.unsigned(c), k))),
    Case("id_token HS256 keyed with the provider's public key", "id_token_alg_not_allowed",
         _id_token(lambda c, k: forge.encrypt(forge.hmac_with_public_key(c, k), k))),
    Case("id_token signed by a foreign key", "id_token_signature_invalid",
         _id_token(lambda c, k: forge.encrypt(
             forge.sign(c, ECKey.generate_key("P-256", private=True)), k))),
    Case("id_token unencrypted", "id_token_not_encrypted",
         _id_token(lambda c, k: forge.sign(c, k.provider))),
    Case("id_token alg off the list", "id_token_alg_not_allowed",
         _id_token(lambda c, k: forge.encrypt(forge.sign(c, k.provider), k, alg="ECDH-ES"))),
    Case("id_token enc off the list", "id_token_enc_not_allowed",
         _id_token(lambda c, k: forge.encrypt(forge.sign(c, k.provider), k, enc="A128GCM"))),
    Case("id_token header iss differs from its claims", "id_token_header_mismatch",
         _id_token(lambda c, k: forge.encrypt(
             forge.sign(c, k.provider), k, iss="https://evil.example"))),
    Case("return path //evil.example", "return_path_rejected", _return_path("//evil.example")),
    Case("return path /\\evil", "return_path_rejected", _return_path("/%5Cevil")),
    Case("return path %2F%2Fevil", "return_path_rejected", _return_path("%252F%252Fevil")),
    Case("return path https:evil", "return_path_rejected", _return_path("https:evil")),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_attack_fails_closed(fapi_rp: RelyingParty, case: Case) -> None:
    """The attack gets no session, clears both cookies and logs one line naming why."""
    browser = Browser()
    reply = case.run(fapi_rp, browser)
    assert reply.status == 400, (reply.status, json.dumps(fapi_rp.log_lines()))
    cleared = {c.split("=", 1)[0] for c in reply.set_cookies if "Max-Age=0" in c}
    assert cleared == {STATE, SESSION}
    assert not [
        c for c in reply.set_cookies if c.startswith(f"{SESSION}=") and "Max-Age=0" not in c
    ]
    assert SESSION not in browser.cookies(fapi_rp.url)
    lines = fapi_rp.log_lines()
    reasons = [(line["level"], line["reason"]) for line in lines if "reason" in line]
    assert reasons == [("WARNING", case.reason)]
    text = fapi_rp.log.getvalue()
    assert not [secret for secret in fapi_rp.keys.secrets() if secret in text]
    assert browser.get(f"{fapi_rp.url}/auth/me").status == 401
