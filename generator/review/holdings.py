"""What a resource type holds: data, identity or key material, or nothing worth keeping.

The answer is a reviewed table, ``holdings.json`` beside this module, that covers every
resource type of the committed AWS provider schema (``tests/review/test_holdings.py``
fails when one is missing) and a few types of other providers that foreign plans carry
(``random_password``, ``tls_private_key``). Heuristics on the type name propose entries
for new types (``python -m tools.review.propose_holdings``); a person decides.

Each data or key entry says what is lost when the resource is deleted or replaced, in
the words the review prints ("messages in flight and the queue URL that producers use").
A type that is in no table (a newer provider, another provider) is :attr:`Kind.UNKNOWN`:
the review blocks on its destruction, because it cannot say that nothing is lost.

What can go wrong: a malformed table raises ``ValueError`` at first use (an internal
error: the table ships with trellis and is tested).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

HOLDINGS_FILE = Path(__file__).with_name("holdings.json")
_SECTIONS = ("data", "key", "disposable")


class Kind(StrEnum):
    """What destroying a resource of a type costs."""

    DATA = "data"
    """Holds data (objects, items, messages, records) that is gone with it."""
    KEY = "key"
    """Holds identity or key material (keys, secrets, users, addresses others trust)."""
    DISPOSABLE = "disposable"
    """Holds nothing that Terraform cannot make again from the configuration."""
    UNKNOWN = "unknown"
    """Not in the reviewed table: treated as holding something until someone decides."""


@dataclass(frozen=True)
class Holding:
    """A type's kind and, for data and key material, what is lost with it."""

    kind: Kind
    lost: str = ""

    @property
    def precious(self) -> bool:
        """True when destroying it loses something (data, key material, or unknown)."""
        return self.kind is not Kind.DISPOSABLE


def _parse(document: Any, source: str) -> dict[str, Holding]:
    if not isinstance(document, dict) or not all(s in document for s in _SECTIONS):
        raise ValueError(f"{source}: needs the sections {', '.join(_SECTIONS)}")
    table: dict[str, Holding] = {}
    for section in _SECTIONS:
        entries = document[section]
        items = entries.items() if isinstance(entries, dict) else ((t, "") for t in entries)
        for resource_type, lost in items:
            if resource_type in table:
                raise ValueError(f"{source}: {resource_type} is listed twice")
            if section != "disposable" and not lost:
                raise ValueError(f"{source}: {resource_type} must say what is lost")
            table[str(resource_type)] = Holding(Kind(section), str(lost))
    return table


def load_table(path: Path | None = None) -> dict[str, Holding]:
    """The table in ``path`` (default: the packaged ``holdings.json``)."""
    if path is None:
        text = resources.files("generator.review").joinpath("holdings.json").read_text("utf-8")
        return _parse(json.loads(text), "holdings.json")
    return _parse(json.loads(path.read_text(encoding="utf-8")), str(path))


def dump_table(table: dict[str, Holding]) -> str:
    """The table as ``holdings.json`` text: sections in order, types sorted, one per line."""
    document: dict[str, Any] = {
        "about": (
            "What each resource type holds; reviewed by people, proposed by "
            "`python -m tools.review.propose_holdings`. data/key: what is lost when "
            "it is deleted or replaced; disposable: nothing Terraform cannot recreate."
        ),
        "data": {t: h.lost for t, h in sorted(table.items()) if h.kind is Kind.DATA},
        "key": {t: h.lost for t, h in sorted(table.items()) if h.kind is Kind.KEY},
        "disposable": sorted(t for t, h in table.items() if h.kind is Kind.DISPOSABLE),
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


@functools.cache
def _packaged() -> dict[str, Holding]:
    return load_table()


def holding_of(resource_type: str) -> Holding:
    """What ``resource_type`` holds; :attr:`Kind.UNKNOWN` for a type the table lacks."""
    found = _packaged().get(resource_type)
    if found is not None:
        return found
    return Holding(
        Kind.UNKNOWN,
        "whatever it holds: the type is not in trellis's reviewed classification",
    )


def precious_types() -> frozenset[str]:
    """Every classified type whose destruction loses data or key material."""
    return frozenset(t for t, h in _packaged().items() if h.precious)


__all__ = ["HOLDINGS_FILE", "Holding", "Kind", "dump_table", "holding_of", "load_table"]
