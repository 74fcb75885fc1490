"""IAM policy documents as comparable data, from JSON text or from policy-document blocks.

Two sources produce the same :class:`Statement` shape: the JSON of a policy attribute
(``jsonencode`` output or a rendered ``aws_iam_policy_document``), and the ``statement``
blocks of an ``aws_iam_policy_document`` data source that Terraform can only read during
apply. In the second case some parts may be unknown; they appear as :data:`UNKNOWN`
entries so a diff can still say which actions change while the resources are pending.

Matching follows IAM: action names are case-insensitive, ``*`` and ``?`` are wildcards
in actions and resources.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from generator.review.model import UNKNOWN
from generator.review.values import child_mask, has_true


class PolicyError(ValueError):
    """A policy attribute that is not a JSON policy document (the message says why)."""


@dataclass(frozen=True)
class Statement:
    """One statement, every list sorted; principals as ``Type:identifier`` or ``*``."""

    effect: str
    actions: tuple[str, ...] = ()
    not_actions: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    not_resources: tuple[str, ...] = ()
    principals: tuple[str, ...] = ()
    not_principals: tuple[str, ...] = ()
    conditions: tuple[tuple[str, tuple[str, ...]], ...] = ()


@lru_cache(maxsize=4096)
def _pattern(glob: str) -> re.Pattern[str]:
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob)
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def covers(pattern: str, value: str) -> bool:
    """True when the IAM pattern matches every string ``value`` can match.

    ``value`` is taken literally (its own wildcards are just characters), so
    ``covers("arn:aws:s3:::b/*", "arn:aws:s3:::b/logs/*")`` is true and the reverse false.
    """
    if pattern == value:
        return True
    if "*" not in pattern and "?" not in pattern:
        return pattern.lower() == value.lower()
    return _pattern(pattern).fullmatch(value) is not None


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(sorted({str(v) for v in value}))
    raise PolicyError(f"expected a string or a list of strings, found {type(value).__name__}")


def _principals(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if value == "*":
        return ("*",)
    if not isinstance(value, dict):
        raise PolicyError('Principal must be "*" or an object such as {"AWS": [...]}')
    found: set[str] = set()
    for kind, ids in value.items():
        for identifier in _strings(ids):
            found.add("*" if kind == "AWS" and identifier == "*" else f"{kind}:{identifier}")
    return tuple(sorted(found))


def _conditions(value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise PolicyError("Condition must be an object of operators")
    found = []
    for operator, keys in value.items():
        if not isinstance(keys, dict):
            raise PolicyError(f"Condition operator {operator} must map keys to values")
        for key, values in keys.items():
            found.append(
                (
                    f"{operator} {key}",
                    _strings(
                        [str(v).lower() if isinstance(v, bool) else v for v in values]
                        if isinstance(values, list)
                        else (str(values).lower() if isinstance(values, bool) else str(values))
                    ),
                )
            )
    return tuple(sorted(found))


def parse_policy(text: str) -> tuple[Statement, ...]:
    """The statements of a JSON policy document; raises :class:`PolicyError` if it is none."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise PolicyError(f"not valid JSON ({err.msg})") from None
    if not isinstance(document, dict):
        raise PolicyError("not a JSON object")
    raw = document.get("Statement")
    if raw is None:
        return ()
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        raise PolicyError("Statement must be an object or a list of objects")
    statements = []
    for item in raw:
        if not isinstance(item, dict):
            raise PolicyError("each Statement must be an object")
        statements.append(
            Statement(
                effect=str(item.get("Effect", "Allow")),
                actions=_strings(item.get("Action")),
                not_actions=_strings(item.get("NotAction")),
                resources=_strings(item.get("Resource")),
                not_resources=_strings(item.get("NotResource")),
                principals=_principals(item.get("Principal")),
                not_principals=_principals(item.get("NotPrincipal")),
                conditions=_conditions(item.get("Condition")),
            )
        )
    return tuple(statements)


def _block_strings(value: Any, unknown: Any) -> tuple[str, ...]:
    if unknown is True:
        return (UNKNOWN,)
    found = {str(v) for v in value or () if v is not None}
    if has_true(unknown):
        found.add(UNKNOWN)
    return tuple(sorted(found))


def _block_principals(blocks: Any, unknown: Any) -> tuple[str, ...]:
    if unknown is True:
        return (UNKNOWN,)
    found: set[str] = set()
    for index, block in enumerate(blocks or ()):
        u = child_mask(unknown, index)
        kind = block.get("type") or UNKNOWN
        for identifier in _block_strings(block.get("identifiers"), child_mask(u, "identifiers")):
            found.add("*" if kind == "AWS" and identifier == "*" else f"{kind}:{identifier}")
    return tuple(sorted(found))


def statements_from_blocks(after: dict[str, Any], unknown: Any) -> tuple[Statement, ...]:
    """Statements of an ``aws_iam_policy_document`` from its planned ``statement`` blocks."""
    blocks = after.get("statement") or []
    statements = []
    for index, block in enumerate(blocks):
        u = child_mask(child_mask(unknown, "statement"), index)
        conditions = []
        for c_index, condition in enumerate(block.get("condition") or ()):
            cu = child_mask(child_mask(u, "condition"), c_index)
            name = f"{condition.get('test') or UNKNOWN} {condition.get('variable') or UNKNOWN}"
            conditions.append(
                (name, _block_strings(condition.get("values"), child_mask(cu, "values")))
            )
        statements.append(
            Statement(
                effect=str(block.get("effect") or "Allow"),
                actions=_block_strings(block.get("actions"), child_mask(u, "actions")),
                not_actions=_block_strings(block.get("not_actions"), child_mask(u, "not_actions")),
                resources=_block_strings(block.get("resources"), child_mask(u, "resources")),
                not_resources=_block_strings(
                    block.get("not_resources"), child_mask(u, "not_resources")
                ),
                principals=_block_principals(block.get("principals"), child_mask(u, "principals")),
                not_principals=_block_principals(
                    block.get("not_principals"), child_mask(u, "not_principals")
                ),
                conditions=tuple(sorted(conditions)),
            )
        )
    return tuple(statements)
