"""``GET <redirect_path>``: finish a Singpass login (the callback function).

Opens and clears the state cookie, checks ``state`` and ``iss``, redeems the code
(client assertion, PKCE verifier, DPoP with one ``use_dpop_nonce`` retry), decrypts and
verifies the id_token (and the userinfo response for Myinfo scopes), then sets the
session cookie and redirects to the allow-listed return path. See :mod:`runtime.auth.flow`.
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

#: Reads the client id, the signing and encryption keys and the state key ring.
CAPABILITIES: tuple[Capability, ...] = SECRET_CAPABILITIES
#: The SSM parameters this function reads (``TRELLIS_AUTH.parameters`` keys).
PARAMETERS = contract.AUTH_FLOW_PARAMETERS["callback"]

_log = logs.get_logger("auth.callback")
_context: AuthContext | None = None


def handle(ctx: AuthContext, event: dict[str, Any]) -> dict[str, Any]:
    """Serve one request with ``ctx`` (tests and the local adapter call this)."""
    return serve(ctx, flow.finish, event, _log)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry point (``runtime.auth.callback.handler``)."""
    global _context  # the cold-start cache is module state by design
    if _context is None:
        _context = from_environment(os.environ)
    return handle(_context, event)
