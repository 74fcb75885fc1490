"""Plan values made safe to print: sensitive masked, unknown named, long text shortened.

Terraform writes a sensitive value in clear in ``before``/``after`` and marks it in the
mirror trees ``before_sensitive``/``after_sensitive`` (``true`` at the sensitive node, at
any depth, possibly a whole block). Unknown values are absent from ``after`` (``null`` in
a list) and ``true`` in ``after_unknown``. Every value the review prints goes through
:func:`show`, which is the only place a plan value becomes text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from generator.review.model import SENSITIVE, UNKNOWN, AttributeChange

MAX_TEXT = 120
"""Longest value printed in full; longer ones show their start and their length."""

Path = tuple[str | int, ...]


def child_mask(mask: Any, key: str | int) -> Any:
    """The part of a sensitive/unknown mirror tree under ``key`` (``True`` is inherited)."""
    if mask is True:
        return True
    if isinstance(mask, dict) and isinstance(key, str):
        return mask.get(key)
    if isinstance(mask, list) and isinstance(key, int) and 0 <= key < len(mask):
        return mask[key]
    return None


def mask_at(mask: Any, path: Path) -> Any:
    """Follow ``path`` down a mirror tree; ``True`` anywhere on the way marks all below."""
    for key in path:
        mask = child_mask(mask, key)
        if mask is True or mask is None:
            return mask
    return mask


def value_at(value: Any, path: Path) -> Any:
    """Follow ``path`` down a plan value; ``None`` when any step is missing."""
    for key in path:
        if isinstance(value, dict) and isinstance(key, str):
            value = value.get(key)
        elif isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
            value = value[key]
        else:
            return None
    return value


def has_true(mask: Any) -> bool:
    """True when a mirror tree marks anything at all (a ``true`` anywhere in it)."""
    if mask is True:
        return True
    if isinstance(mask, dict):
        return any(has_true(v) for v in mask.values())
    if isinstance(mask, list):
        return any(has_true(v) for v in mask)
    return False


def show(value: Any, *, sensitive: Any = None, unknown: Any = None) -> str:
    """The printable form of one plan value, given its sensitive and unknown masks.

    A value is printed only when no part of it is sensitive; a partly unknown composite
    prints as unknown. Policy documents are named rather than dumped (the IAM section
    explains them); long strings are shortened.
    """
    if has_true(sensitive):
        return SENSITIVE
    if has_true(unknown):
        return UNKNOWN
    if isinstance(value, str):
        stripped = value.lstrip()
        if stripped.startswith("{") and '"Statement"' in value:
            return "(policy document)"
        text = json.dumps(value, ensure_ascii=False)
        if len(text) > MAX_TEXT:
            return f'{text[: MAX_TEXT - 20]}…" ({len(value)} characters)'
        return text
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if len(text) > MAX_TEXT:
        return f"{text[: MAX_TEXT - 20]}… ({len(text)} characters of JSON)"
    return text


def format_path(path: Sequence[str | int]) -> str:
    """``("environment", 0, "variables", "A")`` → ``environment[0].variables.A``."""
    out = ""
    for key in path:
        if isinstance(key, int):
            out += f"[{key}]"
        else:
            out += f".{key}" if out else key
    return out


class _Differ:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.found: list[AttributeChange] = []
        self.total = 0

    def record(self, path: Path, before: str, after: str) -> None:
        self.total += 1
        if len(self.found) < self.limit:
            self.found.append(AttributeChange(format_path(path), before, after))

    def walk(
        self, path: Path, before: Any, after: Any, bsens: Any, asens: Any, unknown: Any
    ) -> None:
        if unknown is True:
            self.record(path, show(before, sensitive=bsens), UNKNOWN)
            return
        if bsens is True or asens is True:
            if before != after:
                self.record(path, show(before, sensitive=bsens), show(after, sensitive=asens))
            return
        if isinstance(before, dict) or isinstance(after, dict):
            b = before if isinstance(before, dict) else {}
            a = after if isinstance(after, dict) else {}
            for key in sorted(set(b) | set(a) | set(_keys(unknown))):
                self._child(path, key, b.get(key), a.get(key), bsens, asens, unknown)
            return
        if isinstance(before, list) or isinstance(after, list):
            b_list = before if isinstance(before, list) else []
            a_list = after if isinstance(after, list) else []
            for index in range(max(len(b_list), len(a_list))):
                self._child(
                    path,
                    index,
                    b_list[index] if index < len(b_list) else None,
                    a_list[index] if index < len(a_list) else None,
                    bsens,
                    asens,
                    unknown,
                )
            return
        if before != after:
            self.record(path, show(before), show(after))

    def _child(
        self,
        path: Path,
        key: str | int,
        before: Any,
        after: Any,
        bsens: Any,
        asens: Any,
        unknown: Any,
    ) -> None:
        u = child_mask(unknown, key)
        bs = child_mask(bsens, key)
        as_ = child_mask(asens, key)
        if before == after and not has_true(u) and not (bs is True) ^ (as_ is True):
            return
        self.walk((*path, key), before, after, bs, as_, u)


def _keys(mask: Any) -> list[str]:
    return [k for k, v in mask.items() if has_true(v)] if isinstance(mask, dict) else []


def diff_attributes(change: dict[str, Any], limit: int = 40) -> tuple[list[AttributeChange], int]:
    """The changed leaves of one resource change, masked, and how many were left out.

    Reads ``before``, ``after``, ``before_sensitive``, ``after_sensitive`` and
    ``after_unknown`` of a ``change`` object; missing masks mean "nothing marked".
    """
    differ = _Differ(limit)
    differ.walk(
        (),
        change.get("before"),
        change.get("after"),
        change.get("before_sensitive"),
        change.get("after_sensitive"),
        change.get("after_unknown"),
    )
    return differ.found, differ.total - len(differ.found)
