"""``GET /.well-known/jwks.json``: the relying party's public keys (the jwks function).

Served from the public-JWKS parameter, never derived from the private keys (this function
cannot read them). A parameter that holds any private member is refused with a 500 and
one log line, so a mis-pasted private key is never published. Cached by clients for five
minutes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from runtime import contract
from runtime.auth.context import AuthContext, from_environment
from runtime.auth.handling import serve
from runtime.core import logs
from runtime.core.capabilities import Capability
from runtime.core.secret_store import CAPABILITIES as SECRET_CAPABILITIES

__all__ = ["CAPABILITIES", "PARAMETERS", "handle", "handler"]

CAPABILITIES: tuple[Capability, ...] = SECRET_CAPABILITIES
PARAMETERS = contract.AUTH_FLOW_PARAMETERS["jwks"]

_log = logs.get_logger("auth.jwks")
_context: AuthContext | None = None


def keys(ctx: AuthContext, event: Mapping[str, Any]) -> dict[str, Any]:
    """The public JWKS as ``application/jwk-set+json``."""
    return {
        "statusCode": 200,
        "headers": {
            "Content-Type": "application/jwk-set+json",
            "Cache-Control": "public, max-age=300",
        },
        "body": json.dumps(ctx.public_jwks(), separators=(",", ":"), sort_keys=True),
    }


def handle(ctx: AuthContext, event: dict[str, Any]) -> dict[str, Any]:
    """Serve one request with ``ctx``."""
    return serve(ctx, keys, event, _log)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry point (``runtime.auth.jwks.handler``)."""
    global _context  # the cold-start cache is module state by design
    if _context is None:
        _context = from_environment(os.environ)
    return handle(_context, event)
