"""The rendered tree: every output file as bytes in memory, keyed by its path under build/."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import PurePosixPath

Tree = dict[PurePosixPath, bytes]

MANIFEST = PurePosixPath("manifest.json")


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def manifest(tree: Mapping[PurePosixPath, bytes]) -> bytes:
    """``manifest.json``: every file (but itself) with its sha256, sorted by path."""
    files = {str(path): sha256(data) for path, data in sorted(tree.items()) if path != MANIFEST}
    return (json.dumps({"files": files, "version": 1}, indent=2, sort_keys=True) + "\n").encode()
