"""``GET|POST /auth/logout``: clear both cookies and go to the default return path.

Sessions live only in the sealed cookie, so clearing it ends the session in this
browser. The function reads no parameter and calls no AWS API.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from runtime import contract
from runtime.auth import cookies, responses
from runtime.auth.context import AuthContext, from_environment
from runtime.auth.handling import serve
from runtime.core import logs
from runtime.core.capabilities import Capability

__all__ = ["CAPABILITIES", "PARAMETERS", "handle", "handler"]

CAPABILITIES: tuple[Capability, ...] = ()
PARAMETERS = contract.AUTH_FLOW_PARAMETERS["logout"]

_log = logs.get_logger("auth.logout")
_context: AuthContext | None = None


def sign_out(ctx: AuthContext, event: Mapping[str, Any]) -> dict[str, Any]:
    """A 302 to the default return path clearing both cookies."""
    return responses.redirect(
        ctx.settings.flow.landing_path,
        [cookies.clear(cookies.STATE), cookies.clear(cookies.SESSION)],
    )


def handle(ctx: AuthContext, event: dict[str, Any]) -> dict[str, Any]:
    """Serve one request with ``ctx``."""
    return serve(ctx, sign_out, event, _log)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry point (``runtime.auth.logout.handler``)."""
    global _context  # the cold-start cache is module state by design
    if _context is None:
        _context = from_environment(os.environ)
    return handle(_context, event)
