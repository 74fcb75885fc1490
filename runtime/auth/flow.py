"""The login itself: :func:`start` (the login function) and :func:`finish` (the callback).

Nothing is stored server-side. :func:`start` seals ``state``, ``nonce``, the PKCE
verifier, the DPoP private key, the return path and ``iat``/``exp`` into the
``__Host-trellis-auth`` cookie (ten minutes); :func:`finish` opens it, clears it whatever
happens, and checks everything the provider sends back. Replay is stopped by the
provider's single-use, DPoP-bound authorization code together with ``state`` (bound to
this browser's cookie), ``nonce`` (bound to the id_token) and the cookie's lifetime.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from runtime.auth import cookies, dpop, responses
from runtime.auth.backchannel import error_code, get_with_token, post_authenticated
from runtime.auth.context import AuthContext
from runtime.auth.exceptions import LoginRejected
from runtime.auth.returns import check_return_path
from runtime.auth.seal import seal, unseal
from runtime.auth.tokens import (
    ID_TOKEN_ALGORITHMS,
    USERINFO_ALGORITHMS,
    check_id_token_claims,
    check_userinfo_claims,
    open_token,
)

__all__ = ["SESSION_PURPOSE", "STATE_PURPOSE", "finish", "query", "start"]

STATE_PURPOSE = "trellis-auth"
SESSION_PURPOSE = "trellis-session"
#: id_token claims kept in the session besides the userinfo claims.
KEPT_ID_TOKEN_CLAIMS = ("sub", "sub_attributes", "acr", "amr")
_USERINFO_META = frozenset({"iss", "aud", "iat", "exp", "nbf", "jti", "azp"})


def query(event: Mapping[str, Any]) -> dict[str, str]:
    """The query parameters; a parameter given twice is refused (``parameter_repeated``)."""
    pairs = parse_qsl(str(event.get("rawQueryString") or ""), keep_blank_values=True)
    values: dict[str, str] = {}
    for key, value in pairs:
        if key in values:
            raise LoginRejected("parameter_repeated")
        values[key] = value
    return values


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def start(ctx: AuthContext, event: Mapping[str, Any]) -> dict[str, Any]:
    """Begin a login: PAR (FAPI 2.0) or a plain authorization request (legacy); a 302."""
    settings = ctx.settings
    return_to = check_return_path(
        query(event).get("return_to") or settings.flow.landing_path,
        settings.flow.allowed_return_paths,
    )
    metadata = ctx.provider.metadata()
    state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
    client_id = ctx.client_id()
    params: dict[str, str | None] = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": settings.flow.redirect_uri,
        "scope": " ".join(settings.flow.scopes),
        "state": state,
        "nonce": nonce,
        "code_challenge": _challenge(verifier),
        "code_challenge_method": "S256",
    }
    dpop_key = None
    if settings.flow.profile == "fapi2":
        dpop_key = dpop.new_key()
        params["authentication_context_type"] = settings.flow.authentication_context_type
        params["authentication_context_message"] = settings.flow.authentication_context_message
        params["acr_values"] = settings.flow.acr_values
        endpoint = metadata.pushed_authorization_request_endpoint
        if endpoint is None:
            raise LoginRejected("discovery_no_par_endpoint", 502)
        reply = post_authenticated(
            ctx, endpoint, params, audience=metadata.issuer, dpop_key=dpop_key
        )
        if reply.response.status not in (200, 201):
            raise LoginRejected("par_rejected", 502, detail=error_code(reply.response))
        request_uri = reply.response.json().get("request_uri")
        if not isinstance(request_uri, str) or not request_uri:
            raise LoginRejected("par_bad_response", 502)
        target = urlencode({"client_id": client_id, "request_uri": request_uri})
    else:
        target = urlencode({k: v for k, v in params.items() if v is not None})
    now = ctx.now()
    sealed = seal(
        ctx.state_ring(),
        STATE_PURPOSE,
        {
            "state": state,
            "nonce": nonce,
            "verifier": verifier,
            "dpop": dpop.export_key(dpop_key) if dpop_key is not None else None,
            "return_to": return_to,
            "iat": now,
            "exp": now + cookies.STATE_MAX_AGE,
        },
    )
    separator = "&" if "?" in metadata.authorization_endpoint else "?"
    return responses.redirect(
        f"{metadata.authorization_endpoint}{separator}{target}",
        [cookies.set_cookie(cookies.STATE, sealed, cookies.STATE_MAX_AGE)],
    )


def _same(given: str, expected: object) -> bool:
    return isinstance(expected, str) and hmac.compare_digest(given.encode(), expected.encode())


def _saved_login(ctx: AuthContext, event: Mapping[str, Any]) -> dict[str, Any]:
    sealed = cookies.read(event, cookies.STATE)
    if sealed is None:
        raise LoginRejected("state_cookie_missing")
    saved = unseal(ctx.state_ring(), STATE_PURPOSE, sealed, now=ctx.now())
    for key in ("state", "nonce", "verifier", "return_to"):
        if not isinstance(saved.get(key), str):
            raise LoginRejected("state_cookie_malformed")
    return saved


def _userinfo(
    ctx: AuthContext, tokens: Mapping[str, Any], dpop_key: Any, nonce: str | None, sub: str
) -> dict[str, Any]:
    endpoint = ctx.provider.metadata().userinfo_endpoint
    access_token = tokens.get("access_token")
    if endpoint is None or not isinstance(access_token, str) or dpop_key is None:
        raise LoginRejected("userinfo_unavailable", 502)
    response = get_with_token(ctx, endpoint, access_token, dpop_key=dpop_key, nonce=nonce)
    if response.status != 200:
        raise LoginRejected("userinfo_rejected", 502)
    claims = open_token(
        response.body.decode("ascii", "replace").strip(),
        "userinfo",
        decryption_keys=ctx.decryption_keys(),
        provider=ctx.provider,
        algorithms=USERINFO_ALGORITHMS,
    )
    check_userinfo_claims(claims, client_id=ctx.client_id(), sub=sub)
    return {k: v for k, v in claims.items() if k not in _USERINFO_META}


def finish(ctx: AuthContext, event: Mapping[str, Any]) -> dict[str, Any]:
    """Complete a login: every check, then the session cookie and a 302 to the return path."""
    settings = ctx.settings
    saved = _saved_login(ctx, event)
    params = query(event)
    if "error" in params:
        given = params["error"]
        detail = given if given.isidentifier() and len(given) <= 64 else None
        raise LoginRejected("provider_error", detail=detail)
    if not _same(params.get("state", ""), saved["state"]):
        raise LoginRejected("state_mismatch")
    metadata = ctx.provider.metadata()
    if "iss" in params:
        if params["iss"] != metadata.issuer:
            raise LoginRejected("iss_mismatch")
    elif metadata.iss_parameter_supported:
        raise LoginRejected("iss_missing")
    code = params.get("code")
    if not code:
        raise LoginRejected("code_missing")
    return_to = check_return_path(saved["return_to"], settings.flow.allowed_return_paths)
    dpop_key = dpop.import_key(saved["dpop"]) if saved.get("dpop") else None
    if settings.flow.profile == "fapi2" and dpop_key is None:
        raise LoginRejected("state_cookie_malformed")
    reply = post_authenticated(
        ctx,
        metadata.token_endpoint,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": settings.flow.redirect_uri,
            "code_verifier": saved["verifier"],
            "client_id": ctx.client_id(),
        },
        audience=metadata.issuer,
        dpop_key=dpop_key,
    )
    if reply.response.status != 200:
        raise LoginRejected("token_rejected", detail=error_code(reply.response))
    tokens = reply.response.json()
    if settings.flow.profile == "fapi2" and str(tokens.get("token_type", "")).lower() != "dpop":
        raise LoginRejected("token_not_dpop_bound")
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise LoginRejected("id_token_missing")
    claims = open_token(
        id_token,
        "id_token",
        decryption_keys=ctx.decryption_keys(),
        provider=ctx.provider,
        algorithms=ID_TOKEN_ALGORITHMS,
    )
    now = ctx.now()
    check_id_token_claims(claims, client_id=ctx.client_id(), nonce=saved["nonce"], now=now)
    session = {k: claims[k] for k in KEPT_ID_TOKEN_CLAIMS if k in claims}
    if settings.flow.myinfo_scopes:
        session.update(_userinfo(ctx, tokens, dpop_key, reply.nonce, claims["sub"]))
        session["sub"] = claims["sub"]
    ttl = settings.flow.session_ttl_minutes * 60
    sealed = seal(ctx.state_ring(), SESSION_PURPOSE, {**session, "iat": now, "exp": now + ttl})
    return responses.redirect(
        return_to,
        [cookies.clear(cookies.STATE), cookies.set_cookie(cookies.SESSION, sealed, ttl)],
    )
