"""The review as JSON: stable keys, sorted lists, complete (no size cap).

This is the artifact the Markdown points to when it has to cut, and what CI tools read.
The top-level ``schema`` names the layout version; fields are only ever added within it.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import Enum
from typing import Any

from generator.review.model import Review, StackReview

SCHEMA = "trellis.review/1"


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _stack(stack: StackReview) -> dict[str, Any]:
    return {
        "name": stack.name,
        "plan_file": stack.plan_file,
        "terraform_version": stack.terraform_version,
        "counts": _plain(stack.counts),
        "destructive": [
            {**_plain(asdict(d)), "blocking": d.blocking, "order": d.order}
            for d in stack.destructions
        ],
        "iam": [{**_plain(asdict(i)), "widens": i.widens} for i in stack.iam],
        "posture": [_plain(asdict(p)) for p in stack.posture],
        "checkov": [_plain(asdict(c)) for c in stack.checkov],
        "changes": [_plain(asdict(c)) for c in stack.changes],
    }


def review_to_dict(review: Review) -> dict[str, Any]:
    """The JSON-ready form of a review (plain dicts, lists, strings, numbers, booleans)."""
    return {
        "schema": SCHEMA,
        "exit_code": review.exit_code,
        "blocking": len(review.blocking),
        "checkov_ran": review.checkov_ran,
        "unused_allowances": list(review.unused_allowances),
        "stacks": [_stack(s) for s in review.stacks],
    }


def render_json(review: Review) -> str:
    """The review as indented JSON with sorted keys and a final newline."""
    return json.dumps(review_to_dict(review), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
