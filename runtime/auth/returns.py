"""Where the browser may be sent after signing in or out: allow-listed local paths only.

A return path is accepted only when it is a plain absolute path (letters, digits and
``-._~/``, an optional simple query), does not start with ``//``, has no ``.``/``..``
segment, and equals an allowed path or lies under one (``/dashboard`` allows
``/dashboard/orders``, not ``/dashboardx``). Anything a browser could read as another
origin is refused before it is looked at further: ``//evil.example``, ``/\\evil``,
``%2F%2Fevil``, ``https:evil``, control characters, backslashes, percent-encoding.
"""

from __future__ import annotations

import re

from runtime.auth.exceptions import LoginRejected

__all__ = ["check_return_path"]

_SHAPE = re.compile(r"/[A-Za-z0-9._~/-]*(\?[A-Za-z0-9._~=&-]*)?")


def check_return_path(value: str, allowed: tuple[str, ...]) -> str:
    """``value`` when it is an allowed local path; ``return_path_rejected`` otherwise."""
    if (
        len(value) > 512
        or not _SHAPE.fullmatch(value)
        or value.startswith("//")
        or any(part in (".", "..") for part in value.split("?", 1)[0].split("/"))
    ):
        raise LoginRejected("return_path_rejected")
    path = value.split("?", 1)[0]
    for prefix in allowed:
        base = prefix.rstrip("/")
        if path in (prefix, base) or path.startswith(base + "/"):
            return value
    raise LoginRejected("return_path_rejected")
