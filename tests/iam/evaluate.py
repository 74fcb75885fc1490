"""A small IAM policy evaluator for the subset of the policy language trellis emits.

No maintained Python package evaluates IAM policies locally (principalmapper's simulator
was last released in 2022; the others call AWS's simulator over the network), so the
proof uses this one. It follows AWS's documented evaluation logic for identity policies:
an explicit ``Deny`` wins, otherwise any matching ``Allow`` allows, otherwise the request
is implicitly denied. A statement matches when its ``Action`` (or ``NotAction``) matches
the action case-insensitively with ``*``/``?`` wildcards, its ``Resource`` (or
``NotResource``) matches the ARN case-sensitively with wildcards (segment by segment up to
the account, the resource part as a whole), and every condition holds.

Condition operators supported: ``StringEquals``, ``StringNotEquals``,
``StringEqualsIgnoreCase``, ``StringNotEqualsIgnoreCase``, ``StringLike``,
``StringNotLike``, ``ArnEquals``, ``ArnLike``, ``ArnNotEquals``, ``ArnNotLike``, ``Bool``
and ``Null``, each with the ``IfExists`` suffix. Within an operator every key must hold;
within a key any value may match; a missing key fails positive operators and satisfies
negated ones, as in IAM.

What can go wrong: anything outside that subset (``ForAnyValue:``/``ForAllValues:``,
numeric or date operators, policy variables such as ``${aws:username}``, ``Principal``
in an identity policy) raises :class:`UnsupportedPolicyError` rather than guessing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Decision = Literal["allowed", "explicit-deny", "implicit-deny"]

_STRING_OPERATORS = {
    "StringEquals": (False, False, False),  # (negated, ignore case, like)
    "StringNotEquals": (True, False, False),
    "StringEqualsIgnoreCase": (False, True, False),
    "StringNotEqualsIgnoreCase": (True, True, False),
    "StringLike": (False, False, True),
    "StringNotLike": (True, False, True),
    "ArnEquals": (False, False, True),
    "ArnLike": (False, False, True),
    "ArnNotEquals": (True, False, True),
    "ArnNotLike": (True, False, True),
}


class UnsupportedPolicyError(ValueError):
    """The policy uses a part of the IAM language this evaluator does not implement."""


@dataclass(frozen=True)
class Request:
    """One authorisation request: action, resource ARN and the request's context keys."""

    action: str
    resource: str
    context: Mapping[str, str] = field(default_factory=dict)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def _glob(pattern: str, text: str, *, ignore_case: bool) -> bool:
    if "${" in pattern:
        raise UnsupportedPolicyError(f"policy variables are not supported: {pattern!r}")
    regex = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)
    flags = re.IGNORECASE if ignore_case else 0
    return re.fullmatch(regex, text, flags | re.DOTALL) is not None


def _resource_matches(pattern: str, arn: str) -> bool:
    """ARN matching as IAM does it: the partition, service, region and account segments
    each match on their own (a wildcard never spans a ``:`` there); the resource part,
    which may itself contain ``:`` and ``/``, matches as a whole."""
    if pattern == "*":
        return True
    wanted = pattern.split(":", 5)
    actual = arn.split(":", 5)
    if len(wanted) != 6 or len(actual) != 6:
        # a pattern with fewer segments is no ARN and names nothing
        return not pattern.startswith("arn:") and _glob(pattern, arn, ignore_case=False)
    return all(
        _glob(w, a, ignore_case=False) and (index == 5 or ":" not in a)
        for index, (w, a) in enumerate(zip(wanted, actual, strict=True))
    )


def _condition_holds(
    operator: str, key: str, values: list[str], context: Mapping[str, str]
) -> bool:
    base = operator.removesuffix("IfExists")
    if_exists = base != operator
    lowered = {k.lower(): v for k, v in context.items()}
    actual = lowered.get(key.lower())
    if base == "Null":
        wanted_missing = [v.lower() == "true" for v in values]
        return (actual is None) in wanted_missing
    if actual is None:
        if if_exists:
            return True
        if base in _STRING_OPERATORS:
            return _STRING_OPERATORS[base][0]
        if base == "Bool":
            return False
    if base == "Bool":
        return any(str(actual).lower() == v.lower() for v in values)
    if base not in _STRING_OPERATORS:
        raise UnsupportedPolicyError(f"condition operator {operator!r} is not supported")
    negated, ignore_case, like = _STRING_OPERATORS[base]
    assert actual is not None
    if like:
        matched = any(_glob(v, actual, ignore_case=ignore_case) for v in values)
    elif ignore_case:
        matched = any(v.lower() == actual.lower() for v in values)
    else:
        matched = actual in values
    return not matched if negated else matched


def _statement_matches(statement: Mapping[str, Any], request: Request) -> bool:
    if "Principal" in statement or "NotPrincipal" in statement:
        raise UnsupportedPolicyError("Principal belongs in resource policies, not identity ones")
    if "Action" in statement:
        actions = _as_list(statement["Action"])
        if not any(_glob(a, request.action, ignore_case=True) for a in actions):
            return False
    elif "NotAction" in statement:
        if any(
            _glob(a, request.action, ignore_case=True) for a in _as_list(statement["NotAction"])
        ):
            return False
    else:
        return False
    if "Resource" in statement:
        if not any(_resource_matches(r, request.resource) for r in _as_list(statement["Resource"])):
            return False
    elif "NotResource" in statement:
        if any(_resource_matches(r, request.resource) for r in _as_list(statement["NotResource"])):
            return False
    else:
        return False
    for operator, keys in (statement.get("Condition") or {}).items():
        if ":" in operator.split("IfExists")[0] and operator.startswith("For"):
            raise UnsupportedPolicyError(f"set operator {operator!r} is not supported")
        for key, values in keys.items():
            if not _condition_holds(operator, key, _as_list(values), request.context):
                return False
    return True


def evaluate(policy: Mapping[str, Any], request: Request) -> Decision:
    """The decision of one identity policy document for ``request``."""
    statements: Sequence[Mapping[str, Any]] | Any = policy.get("Statement", [])
    if isinstance(statements, Mapping):
        statements = [statements]
    allowed = False
    for statement in statements:
        if not _statement_matches(statement, request):
            continue
        effect = statement.get("Effect")
        if effect == "Deny":
            return "explicit-deny"
        if effect == "Allow":
            allowed = True
    return "allowed" if allowed else "implicit-deny"


def is_allowed(policy: Mapping[str, Any], request: Request) -> bool:
    """Whether ``policy`` allows ``request``."""
    return evaluate(policy, request) == "allowed"
