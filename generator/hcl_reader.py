"""python-hcl2, called by one thread at a time.

python-hcl2 8.x is not thread-safe. Every rule's ``serialize`` takes one shared, mutable
default ``SerializationContext`` per rule class, and flips its ``inside_dollar_string``
flag while it serializes an interpolation. A thread reading ``encrypt = true`` while
another is inside ``"${...}"`` gets the string ``"true"`` instead of ``True``, so a
backend that is encrypted would be reported as not encrypted. ``trellis check`` runs its
validators on threads, so every python-hcl2 parse, serialize and walk of a parse tree
that can run on one holds :data:`LOCK`. Nothing is lost by it: python-hcl2 is pure Python
and would hold the GIL anyway.

What can go wrong: these functions raise what python-hcl2 raises (lark's errors and its
own, unrelated types) for text that is not HCL; callers decide what that means.
"""

from __future__ import annotations

import threading
from typing import Any

LOCK = threading.RLock()
"""Held around every use of python-hcl2 that may run on a thread (re-entrant)."""


def parses(text: str) -> Any:
    """``hcl2.parses(text)``: the rule tree, with line numbers."""
    import hcl2

    with LOCK:
        return hcl2.parses(text)


def serialize(tree: Any) -> dict[str, Any]:
    """``hcl2.serialize(tree)``: the dict ``hcl2.loads`` would return."""
    import hcl2

    with LOCK:
        document: dict[str, Any] = hcl2.serialize(tree)
        return document


def loads(text: str) -> dict[str, Any]:
    """``hcl2.loads(text)``."""
    import hcl2

    with LOCK:
        document: dict[str, Any] = hcl2.loads(text)
        return document
