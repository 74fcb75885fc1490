"""The change hash: what decides whether a record's meaning changed.

SHA-256 over canonical JSON (sorted keys, no whitespace, UTF-8, no NaN) of the shaped
fields minus those listed in ``ignore_for_change`` (typically ``updated_at``): a record
whose only difference is a bumped timestamp hashes the same and is not written again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping

__all__ = ["canonical_json", "change_hash"]


def canonical_json(value: object) -> str:
    """``value`` as canonical JSON.

    Raises:
        ValueError: ``value`` holds NaN or infinity, which JSON cannot represent.
    """
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def change_hash(fields: Mapping[str, object], ignore: Iterable[str] = ()) -> str:
    """Hex SHA-256 of the canonical JSON of ``fields`` without the ``ignore`` names."""
    skip = set(ignore)
    meaningful = {name: value for name, value in fields.items() if name not in skip}
    return hashlib.sha256(canonical_json(meaningful).encode("utf-8")).hexdigest()
