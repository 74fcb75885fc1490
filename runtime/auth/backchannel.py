"""Back-channel requests to the provider with client authentication and DPoP.

:func:`post_authenticated` sends a form POST with a fresh client assertion and, for
FAPI 2.0, a DPoP proof. When the server answers ``use_dpop_nonce`` (400 with a
``DPoP-Nonce`` header) it retries exactly once with that nonce and a *new* client
assertion, since the first one's ``jti`` is spent. :func:`get_with_token` does the same
for a resource request carrying a DPoP-bound access token (401 with
``WWW-Authenticate: DPoP error="use_dpop_nonce"``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from joserfc.jwk import ECKey

from runtime.auth import dpop
from runtime.auth.assertion import ASSERTION_TYPE, client_assertion
from runtime.auth.context import AuthContext
from runtime.auth.exceptions import LoginRejected
from runtime.auth.http import Response, form

__all__ = ["Reply", "error_code", "get_with_token", "post_authenticated"]

_ERROR_CODE = re.compile(r"^[a-z_]{1,64}$")


@dataclass(frozen=True)
class Reply:
    """The final response and the last DPoP nonce the server gave (for the next call)."""

    response: Response
    nonce: str | None


def error_code(response: Response) -> str | None:
    """The OAuth ``error`` of a JSON error body when it is a plain code, else ``None``."""
    try:
        value = response.json().get("error")
    except LoginRejected:
        return None
    return value if isinstance(value, str) and _ERROR_CODE.match(value) else None


def post_authenticated(
    ctx: AuthContext,
    url: str,
    fields: Mapping[str, str | None],
    *,
    audience: str,
    dpop_key: ECKey | None,
    nonce: str | None = None,
) -> Reply:
    """POST ``fields`` plus a client assertion (and a DPoP proof when ``dpop_key``)."""
    signing_key = ctx.signing_key()
    client_id = ctx.client_id()
    for attempt in (1, 2):
        now = ctx.now()
        body = {
            **fields,
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": client_assertion(signing_key, client_id, audience, now=now),
        }
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        }
        if dpop_key is not None:
            headers["DPoP"] = dpop.proof(dpop_key, "POST", url, now=now, nonce=nonce)
        response = ctx.http.request("POST", url, headers=headers, body=form(body))
        given = response.headers.get("dpop-nonce")
        if (
            attempt == 1
            and dpop_key is not None
            and response.status == 400
            and given
            and error_code(response) == "use_dpop_nonce"
        ):
            nonce = given
            continue
        return Reply(response, given or nonce)
    raise AssertionError("unreachable")  # pragma: no cover


def get_with_token(
    ctx: AuthContext, url: str, access_token: str, *, dpop_key: ECKey, nonce: str | None
) -> Response:
    """GET ``url`` with a DPoP-bound ``access_token`` (proof with ``ath``)."""
    for attempt in (1, 2):
        proof = dpop.proof(
            dpop_key, "GET", url, now=ctx.now(), nonce=nonce, access_token=access_token
        )
        headers = {
            "Authorization": f"DPoP {access_token}",
            "DPoP": proof,
            "Accept": "application/jwt",
        }
        response = ctx.http.request("GET", url, headers=headers)
        given = response.headers.get("dpop-nonce")
        challenge = response.headers.get("www-authenticate", "")
        if attempt == 1 and response.status == 401 and given and "use_dpop_nonce" in challenge:
            nonce = given
            continue
        return response
    raise AssertionError("unreachable")  # pragma: no cover
