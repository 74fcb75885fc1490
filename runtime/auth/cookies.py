"""The two cookies, read from and written to API Gateway HTTP API (payload 2.0) events.

Both are ``__Host-`` cookies (``Secure``, ``Path=/``, no ``Domain``: only this host can
set them, so a sibling subdomain cannot plant one), ``HttpOnly`` and ``SameSite=Lax``
(sent on the provider's top-level redirect back to the callback, not on cross-site
sub-requests). A cookie name sent twice is treated as absent: which copy is genuine
cannot be told.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["SESSION", "STATE", "STATE_MAX_AGE", "clear", "read", "set_cookie"]

STATE = "__Host-trellis-auth"
SESSION = "__Host-trellis-session"
STATE_MAX_AGE = 600
_ATTRIBUTES = "Secure; HttpOnly; SameSite=Lax; Path=/"


def _pairs(event: Mapping[str, Any]) -> list[tuple[str, str]]:
    raw: list[str] = [str(c) for c in event.get("cookies") or []]
    if not raw:
        headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
        raw = headers.get("cookie", "").split(";")
    pairs = []
    for item in raw:
        name, sep, value = item.strip().partition("=")
        if sep:
            pairs.append((name.strip(), value.strip()))
    return pairs


def read(event: Mapping[str, Any], name: str) -> str | None:
    """The value of cookie ``name``; ``None`` when absent, empty or sent more than once."""
    values = [value for key, value in _pairs(event) if key == name]
    if len(values) != 1 or not values[0]:
        return None
    return values[0]


def set_cookie(name: str, value: str, max_age: int) -> str:
    """A ``Set-Cookie`` value for ``name`` living ``max_age`` seconds."""
    return f"{name}={value}; {_ATTRIBUTES}; Max-Age={max_age}"


def clear(name: str) -> str:
    """A ``Set-Cookie`` value that deletes ``name``."""
    return f"{name}=; {_ATTRIBUTES}; Max-Age=0"
