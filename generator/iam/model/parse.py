"""Read IAM policy JSON (text, or the dicts ``json.loads`` and HCL parsing give) into the model.

The parser is faithful: elements keep the order they were written in, a single string
becomes a one-element tuple, condition values become strings as IAM compares them
(``true`` is ``"true"``, ``5`` is ``"5"``). It checks only the shape IAM itself requires,
so a hand-written or foreign policy that IAM would accept is read, and one it would reject
is refused with the reason.

What can go wrong: each problem raises :class:`PolicyError` whose message names the
statement (``Statement #2`` counting from 1, or its Sid) and the element, e.g.
``Statement #2 (Sid "Logs"): Action must be a string or a list of strings, found int``.
Text that is not JSON, a document that is not an object, ``Statement`` that is neither an
object nor a list, an ``Effect`` other than ``Allow``/``Deny``, a ``Principal`` that is
neither ``"*"`` nor an object, and a ``Condition`` that does not map operators to keys.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from generator.iam.model.statement import (
    Condition,
    Effect,
    PolicyDocument,
    Principal,
    Statement,
)


class PolicyError(ValueError):
    """A policy that is not an IAM policy document; the message says where and why."""


def _strings(value: Any, element: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    found = type(value).__name__
    if isinstance(value, list):
        found = "a list holding " + ", ".join(
            sorted({type(v).__name__ for v in value if not isinstance(v, str)})
        )
    raise PolicyError(f"{element} must be a string or a list of strings, found {found}")


def _condition_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise PolicyError(f"condition values must be strings, numbers or booleans, found {value!r}")


def _principals(value: Any, element: str) -> tuple[Principal, ...]:
    if value is None:
        return ()
    if value == "*":
        return (Principal("AWS", "*"),)
    if not isinstance(value, Mapping):
        raise PolicyError(f'{element} must be "*" or an object such as {{"AWS": [...]}}')
    return tuple(
        Principal(str(kind), identifier)
        for kind, identifiers in value.items()
        for identifier in _strings(identifiers, f"{element}.{kind}")
    )


def _conditions(value: Any) -> tuple[Condition, ...]:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise PolicyError("Condition must be an object of operators")
    found: list[Condition] = []
    for operator, keys in value.items():
        if not isinstance(keys, Mapping):
            raise PolicyError(f"Condition operator {operator} must map keys to values")
        for key, values in keys.items():
            listed = values if isinstance(values, list) else [values]
            found.append(
                Condition(str(operator), str(key), tuple(_condition_value(v) for v in listed))
            )
    return tuple(found)


def _effect(value: Any) -> Effect:
    if value == "Allow":
        return "Allow"
    if value == "Deny":
        return "Deny"
    raise PolicyError(f"Effect must be 'Allow' or 'Deny', found {value!r}")


def parse_statement(raw: Any, index: int = 0) -> Statement:
    """One statement from its JSON object; ``index`` (from 0) names it in errors."""
    where = f"Statement #{index + 1}"
    if not isinstance(raw, Mapping):
        raise PolicyError(f"{where} must be an object, found {type(raw).__name__}")
    sid = raw.get("Sid")
    if sid is not None and not isinstance(sid, str):
        raise PolicyError(f"{where}: Sid must be a string, found {type(sid).__name__}")
    if sid:
        where += f' (Sid "{sid}")'
    try:
        return Statement(
            sid=sid or "",
            effect=_effect(raw.get("Effect")),
            actions=_strings(raw.get("Action"), "Action"),
            not_actions=_strings(raw.get("NotAction"), "NotAction"),
            resources=_strings(raw.get("Resource"), "Resource"),
            not_resources=_strings(raw.get("NotResource"), "NotResource"),
            principals=_principals(raw.get("Principal"), "Principal"),
            not_principals=_principals(raw.get("NotPrincipal"), "NotPrincipal"),
            conditions=_conditions(raw.get("Condition")),
        )
    except PolicyError as err:
        raise PolicyError(f"{where}: {err}") from None


def parse_document(raw: Any) -> PolicyDocument:
    """A policy document from its JSON object (``Version`` is kept, not required).

    A document without ``Statement`` has no statements; a single statement object is a
    one-statement document.
    """
    if not isinstance(raw, Mapping):
        raise PolicyError(f"a policy document must be a JSON object, found {type(raw).__name__}")
    statements = raw.get("Statement")
    if statements is None:
        statements = []
    elif isinstance(statements, Mapping):
        statements = [statements]
    elif not isinstance(statements, list):
        raise PolicyError("Statement must be an object or a list of objects")
    version = raw.get("Version")
    return PolicyDocument(
        tuple(parse_statement(item, index) for index, item in enumerate(statements)),
        version=str(version) if version is not None else "",
    )


def parse_policy_json(text: str) -> PolicyDocument:
    """A policy document from JSON text, e.g. a Terraform ``policy`` attribute."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise PolicyError(f"not valid JSON ({err.msg})") from None
    if not isinstance(document, dict):
        raise PolicyError("not a JSON object")
    return parse_document(document)
