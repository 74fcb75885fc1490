"""A validator's findings for one unit of input (a file, a folder), kept by a content key.

A validator computes the key from everything its result depends on (its code, the unit's
content and name, the reviewed lists it reads) and asks :meth:`FindingsCache.load` before
doing the work. Entries are JSON files under ``<cache_dir>/<name>/``.

What can go wrong: a corrupt or unreadable entry reads as missing (the work is redone and
the entry rewritten); entries are written atomically, so a concurrent reader never sees
half of one.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.check.atomic_json import write_json_atomically
from generator.policy.findings import Finding, Severity


class FindingsCache:
    """Findings by key, one JSON file per key under ``cache_dir / name``."""

    def __init__(self, cache_dir: Path, name: str) -> None:
        self.directory = cache_dir / name

    def load(self, key: str) -> list[Finding] | None:
        """The findings stored under ``key``, or ``None`` when there are none (or unreadable)."""
        try:
            records = json.loads((self.directory / f"{key}.json").read_text(encoding="utf-8"))
            return [Finding(**{**r, "severity": Severity(r["severity"])}) for r in records]
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def store(self, key: str, findings: list[Finding]) -> None:
        """Write ``findings`` under ``key`` atomically."""
        write_json_atomically(self.directory / f"{key}.json", [f.to_record() for f in findings])
