"""A small IAM policy evaluator for the subset of the policy language trellis emits.

No maintained Python package evaluates IAM policies locally (principalmapper's simulator
was last released in 2022; the others call AWS's simulator over the network), so the
proof uses this one. It reads policies into trellis's one policy model
(:mod:`generator.iam.model`) and matches with its matchers, so the proof judges exactly
the statements the derivation built. It follows AWS's documented evaluation logic for
identity policies: an explicit ``Deny`` wins, otherwise any matching ``Allow`` allows,
otherwise the request is implicitly denied. A statement matches when its ``Action`` (or
``NotAction``) matches the action case-insensitively with ``*``/``?`` wildcards, its
``Resource`` (or ``NotResource``) matches the ARN case-sensitively with wildcards
(segment by segment up to the account, the resource part as a whole), and every condition
holds.

Condition operators supported: ``StringEquals``, ``StringNotEquals``,
``StringEqualsIgnoreCase``, ``StringNotEqualsIgnoreCase``, ``StringLike``,
``StringNotLike``, ``ArnEquals``, ``ArnLike``, ``ArnNotEquals``, ``ArnNotLike``, ``Bool``
and ``Null``, each with the ``IfExists`` suffix. Within an operator every key must hold;
within a key any value may match; a missing key fails positive operators and satisfies
negated ones, as in IAM.

What can go wrong: anything outside that subset (``ForAnyValue:``/``ForAllValues:``,
numeric or date operators, policy variables such as ``${aws:username}``, ``Principal`` in
an identity policy) raises :class:`UnsupportedPolicyError` rather than guessing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.iam.model import (
    Statement,
    action_matches,
    arn_matches,
    glob_matches,
    parse_document,
)

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


def _no_variables(pattern: str) -> str:
    if "${" in pattern:
        raise UnsupportedPolicyError(f"policy variables are not supported: {pattern!r}")
    return pattern


def _any_action(patterns: tuple[str, ...], action: str) -> bool:
    return any(action_matches(_no_variables(p), action) for p in patterns)


def _any_resource(patterns: tuple[str, ...], arn: str) -> bool:
    return any(arn_matches(_no_variables(p), arn) for p in patterns)


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
        matched = any(
            glob_matches(_no_variables(v), actual, ignore_case=ignore_case) for v in values
        )
    elif ignore_case:
        matched = any(v.lower() == actual.lower() for v in values)
    else:
        matched = actual in values
    return not matched if negated else matched


def _statement_matches(statement: Statement, request: Request) -> bool:
    if statement.principals or statement.not_principals:
        raise UnsupportedPolicyError("Principal belongs in resource policies, not identity ones")
    if statement.actions:
        if not _any_action(statement.actions, request.action):
            return False
    elif not statement.not_actions or _any_action(statement.not_actions, request.action):
        return False
    if statement.resources:
        if not _any_resource(statement.resources, request.resource):
            return False
    elif not statement.not_resources or _any_resource(statement.not_resources, request.resource):
        return False
    for condition in statement.conditions:
        if condition.test.startswith(("ForAnyValue:", "ForAllValues:")):
            raise UnsupportedPolicyError(f"set operator {condition.test!r} is not supported")
        if not _condition_holds(
            condition.test, condition.variable, list(condition.values), request.context
        ):
            return False
    return True


def evaluate(policy: Mapping[str, Any], request: Request) -> Decision:
    """The decision of one identity policy document (IAM's JSON) for ``request``.

    The document is read with :func:`generator.iam.model.parse_document`; a malformed one
    raises :class:`~generator.iam.model.PolicyError`.
    """
    allowed = False
    for statement in parse_document(policy).statements:
        if not _statement_matches(statement, request):
            continue
        if statement.effect == "Deny":
            return "explicit-deny"
        allowed = True
    return "allowed" if allowed else "implicit-deny"


def is_allowed(policy: Mapping[str, Any], request: Request) -> bool:
    """Whether ``policy`` allows ``request``."""
    return evaluate(policy, request) == "allowed"
