"""The review as JSON: stable keys, sorted lists, complete (no size cap).

This is the artifact the Markdown points to when it has to cut, and what CI tools read.
The top-level ``schema`` names the layout version; fields are only ever added within it
(``summary``, ``hints``, ``holds``/``lost`` of a destructive change, ``pending`` of an
IAM change and the checkov ``errors``/``skipped``/``undecided`` came later).
The document is compact (one line, keys sorted) because a review of a large plan is
large; ``jq .`` shows it indented.
"""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from enum import Enum
from functools import cache
from typing import Any

from generator.review.model import Review, StackReview

SCHEMA = "trellis.review/1"


@cache
def _names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))


def _plain(value: Any) -> Any:
    """Dataclasses, enums and tuples as dicts, strings and lists (what JSON can hold)."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value.value if isinstance(value, Enum) else value
    if is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(getattr(value, name)) for name in _names(type(value))}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    raise TypeError(f"cannot put {type(value).__name__} in the JSON review")


def _stack(stack: StackReview) -> dict[str, Any]:
    return {
        "name": stack.name,
        "plan_file": stack.plan_file,
        "terraform_version": stack.terraform_version,
        "counts": _plain(stack.counts),
        "summary": stack.summary,
        "hints": _plain(stack.hints),
        "destructive": [
            {**_plain(d), "blocking": d.blocking, "order": d.order, "stateful": d.stateful}
            for d in stack.destructions
        ],
        "iam": [{**_plain(i), "widens": i.widens, "pending": i.pending} for i in stack.iam],
        "posture": _plain(stack.posture),
        "checkov": _plain(stack.checkov),
        "changes": _plain(stack.changes),
        "images": _plain(stack.images),
    }


def review_to_dict(review: Review) -> dict[str, Any]:
    """The JSON-ready form of a review (plain dicts, lists, strings, numbers, booleans)."""
    return {
        "schema": SCHEMA,
        "exit_code": review.exit_code,
        "blocking": len(review.blocking),
        "checkov_ran": review.checkov_ran,
        "checkov_errors": _plain(review.checkov_errors),
        "checkov_skipped": _plain(review.checkov_skipped_checks),
        "checkov_undecided": review.checkov_undecided,
        "checkov_missing": review.checkov_missing,
        "unused_allowances": list(review.unused_allowances),
        "stacks": [_stack(s) for s in review.stacks],
    }


def render_json(review: Review) -> str:
    """The review as compact JSON with sorted keys and a final newline."""
    document = review_to_dict(review)
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
