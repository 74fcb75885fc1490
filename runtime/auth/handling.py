"""The shared shape of every auth handler: cold start once, fail closed, one log line.

:func:`serve` runs one request through ``action``. A
:class:`~runtime.auth.exceptions.LoginRejected` becomes the fail-closed response and one
warning line naming the reason (and the provider's OAuth error code, if any). Any other
exception is an internal error: both cookies cleared, a 500, and one error line naming
only the exception's type, so no token, cookie or key can reach the logs through an
exception message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from runtime.auth import responses
from runtime.auth.context import AuthContext
from runtime.auth.exceptions import LoginRejected
from runtime.core import logs

__all__ = ["Action", "request_id", "serve"]

Action = Callable[[AuthContext, Mapping[str, Any]], dict[str, Any]]


def request_id(event: Mapping[str, Any], context: object) -> str:
    """The API Gateway request id, else the Lambda request id, else ``"-"``."""
    request = event.get("requestContext")
    if isinstance(request, Mapping) and isinstance(request.get("requestId"), str):
        return str(request["requestId"])
    return str(getattr(context, "aws_request_id", "-"))


def serve(
    ctx: AuthContext, action: Action, event: Mapping[str, Any], log: logging.Logger
) -> dict[str, Any]:
    """``action(ctx, event)``, failing closed on any error."""
    with logs.bind_correlation_id(request_id(event, None)):
        try:
            return action(ctx, event)
        except LoginRejected as rejected:
            fields: dict[str, object] = {"reason": rejected.reason}
            if rejected.detail:
                fields["provider_error"] = rejected.detail
            log.warning("login rejected", extra={"fields": fields})
            return responses.rejected(rejected.status)
        except Exception as error:  # fail closed on anything; the type alone is logged
            log.error(  # no traceback: its frames could carry secrets
                "internal error",
                extra={"fields": {"reason": "internal_error", "error_type": type(error).__name__}},
            )
            return responses.rejected(500)
