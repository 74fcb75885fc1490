"""API Gateway HTTP API (payload 2.0) responses the handlers return.

Every response carries ``Cache-Control: no-store`` (nothing here may be cached by the
browser or a CDN) and ``cookies`` as a list, one ``Set-Cookie`` each. A failure is
always :func:`rejected`: both cookies cleared, a short text body without the reason (the
reason goes to the log, not to a possible attacker).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from runtime.auth import cookies

__all__ = ["json_response", "redirect", "rejected"]

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def redirect(location: str, set_cookies: Sequence[str] = ()) -> dict[str, Any]:
    """A 302 to ``location``."""
    return {
        "statusCode": 302,
        "headers": {**_NO_STORE, "Location": location},
        "cookies": list(set_cookies),
        "body": "",
    }


def json_response(status: int, body: object, set_cookies: Sequence[str] = ()) -> dict[str, Any]:
    """A JSON response."""
    return {
        "statusCode": status,
        "headers": {**_NO_STORE, "Content-Type": "application/json"},
        "cookies": list(set_cookies),
        "body": json.dumps(body, separators=(",", ":"), sort_keys=True),
    }


def rejected(status: int) -> dict[str, Any]:
    """The fail-closed answer: no session, both cookies cleared."""
    return {
        "statusCode": status,
        "headers": {**_NO_STORE, "Content-Type": "text/plain; charset=utf-8"},
        "cookies": [cookies.clear(cookies.STATE), cookies.clear(cookies.SESSION)],
        "body": "Sign-in failed. Please start again.",
    }
