"""``GET /auth/login?return_to=/path``: start a Singpass login (the login function).

FAPI 2.0: a pushed authorization request (client assertion + DPoP, PKCE S256, ``state``
and ``nonce``, Singpass's ``authentication_context_type``/``_message`` and
``acr_values``), then a 302 to the authorization endpoint with the ``request_uri``.
Legacy: a 302 with the request in the query. Either way the sealed state cookie is set.
"""

from __future__ import annotations

import os
from typing import Any

from runtime import contract
from runtime.auth import flow
from runtime.auth.context import AuthContext, from_environment
from runtime.auth.handling import serve
from runtime.core import logs
from runtime.core.capabilities import Capability
from runtime.core.secret_store import CAPABILITIES as SECRET_CAPABILITIES

__all__ = ["CAPABILITIES", "PARAMETERS", "handle", "handler"]

#: Reads the client id, the signing key and the state key ring.
CAPABILITIES: tuple[Capability, ...] = SECRET_CAPABILITIES
#: The SSM parameters this function reads (``TRELLIS_AUTH.parameters`` keys).
PARAMETERS = contract.AUTH_FLOW_PARAMETERS["login"]

_log = logs.get_logger("auth.login")
_context: AuthContext | None = None


def handle(ctx: AuthContext, event: dict[str, Any]) -> dict[str, Any]:
    """Serve one request with ``ctx`` (tests and the local adapter call this)."""
    return serve(ctx, flow.start, event, _log)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry point (``runtime.auth.login.handler``)."""
    global _context  # the cold-start cache is module state by design
    if _context is None:
        _context = from_environment(os.environ)
    return handle(_context, event)
