"""``GET /auth/me``: the signed-in user's claims as JSON for the SPA (the session function).

200 with the session's claims (``sub``, ``acr``, ``amr``, the Myinfo claims, ``exp``)
when the session cookie opens; 401 ``{"signed_in": false}`` otherwise, clearing a cookie
that was present but did not open. Always ``Cache-Control: no-store``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from runtime import contract
from runtime.auth import cookies, responses
from runtime.auth.context import AuthContext, from_environment
from runtime.auth.flow import SESSION_PURPOSE
from runtime.auth.handling import serve
from runtime.auth.seal import unseal
from runtime.core import logs
from runtime.core.capabilities import Capability
from runtime.core.secret_store import CAPABILITIES as SECRET_CAPABILITIES

__all__ = ["CAPABILITIES", "PARAMETERS", "handle", "handler"]

#: Reads the state key ring (the session cookie is sealed with it).
CAPABILITIES: tuple[Capability, ...] = SECRET_CAPABILITIES
PARAMETERS = contract.AUTH_FLOW_PARAMETERS["session"]

_log = logs.get_logger("auth.session")
_context: AuthContext | None = None


def me(ctx: AuthContext, event: Mapping[str, Any]) -> dict[str, Any]:
    """The session's claims, or 401."""
    sealed = cookies.read(event, cookies.SESSION)
    if sealed is None:
        return responses.json_response(401, {"signed_in": False})
    claims = unseal(ctx.state_ring(), SESSION_PURPOSE, sealed, now=ctx.now())
    return responses.json_response(200, {"signed_in": True, "claims": claims})


def handle(ctx: AuthContext, event: dict[str, Any]) -> dict[str, Any]:
    """Serve one request with ``ctx``; a cookie that does not open answers 401 and is cleared."""
    response = serve(ctx, me, event, _log)
    if response["statusCode"] == 400:
        return responses.json_response(401, {"signed_in": False}, [cookies.clear(cookies.SESSION)])
    return response


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry point (``runtime.auth.session.handler``)."""
    global _context  # the cold-start cache is module state by design
    if _context is None:
        _context = from_environment(os.environ)
    return handle(_context, event)
