"""Dot paths into parsed JSON: ``data.items``, ``amount.total``, ``lines.0.sku``."""

from __future__ import annotations

__all__ = ["MISSING", "dot_path"]

#: Returned by :func:`dot_path` when a segment of the path is absent.
MISSING: object = object()


def dot_path(document: object, path: str) -> object:
    """The value at ``path`` in ``document``, or :data:`MISSING` if a segment is absent.

    Segments are object keys; a numeric segment indexes a list. An empty path is the
    document itself. Never raises.
    """
    current = document
    for segment in path.split(".") if path else ():
        if isinstance(current, dict):
            if segment not in current:
                return MISSING
            current = current[segment]
        elif isinstance(current, list) and segment.isdigit():
            index = int(segment)
            if index >= len(current):
                return MISSING
            current = current[index]
        else:
            return MISSING
    return current
