"""Turn pydantic's validation errors into diagnostics a person can act on.

Each error becomes a :class:`Diagnostic` with the file, the line and column of the value
(of the key, for an unknown key; of the enclosing mapping, for a missing one), the dotted
field path, the value found, what is allowed and a did-you-mean hint for near misses.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.blueprint.yaml_source import Path_, SourceDocument
from generator.errors import Diagnostic

_TYPE_NAMES = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "float_type": "a number",
    "string_type": "a string",
    "bool_type": "true or false",
    "dict_type": "a mapping",
    "list_type": "a list",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "none_required": "nothing (null)",
    "int_from_float": "a whole number",
}
_TYPE_FIXES = {
    "a list": "write a YAML list: one `- item` per line, or [a, b]",
    "a mapping": "write `key: value` lines, indented below the key",
    "a string": "write the text, in quotes when it would read as a number or boolean",
    "an integer": "write a whole number in digits, e.g. 50",
    "a whole number": "write a whole number in digits, e.g. 50",
    "a number": "write a number in digits, e.g. 0.05",
    "true or false": "write true or false",
}
_BOUNDS = {
    "greater_than_equal": ("ge", "at least"),
    "less_than_equal": ("le", "at most"),
    "greater_than": ("gt", "above"),
    "less_than": ("lt", "below"),
    "string_too_short": ("min_length", "at least {} characters long"),
    "string_too_long": ("max_length", "at most {} characters long"),
    "too_short": ("min_length", "at least {} items"),
    "too_long": ("max_length", "at most {} items"),
}


def suggest(word: str, choices: typing.Iterable[str]) -> str | None:
    """The closest of ``choices`` to ``word``, if any is close enough to be a typo.

    Case is ignored when comparing, so ``info`` suggests ``INFO``.
    """
    by_lower: dict[str, str] = {}
    for choice in sorted(choices):
        by_lower.setdefault(choice.lower(), choice)
    match = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    if match:
        return by_lower[match[0]]
    # a unit left off (lag → lag_seconds) is a typo too
    longer = [c for c in by_lower if len(word) >= 3 and c.startswith(word.lower() + "_")]
    return by_lower[longer[0]] if len(longer) == 1 else None


def type_name(value: Any) -> str:
    """How YAML would describe the type of ``value``."""
    if isinstance(value, bool):
        return "boolean"
    return {
        int: "integer",
        float: "number",
        str: "string",
        list: "list",
        dict: "mapping",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def show(value: Any) -> str:
    """A short, single-line rendering of a user value for messages, in YAML's words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _unwrap(annotation: Any) -> Iterator[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _unwrap(typing.get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _unwrap(arg)
    else:
        yield annotation


def fields_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """Field names of the model found by walking ``loc`` down from ``model``."""
    current: list[Any] = [model]
    for part in loc:
        following: list[Any] = []
        for candidate in current:
            for annotation in _unwrap(candidate):
                origin = typing.get_origin(annotation)
                if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                    field = annotation.model_fields.get(str(part))
                    if field is not None:
                        following.append(field.annotation)
                elif origin in (list, dict):
                    following.append(typing.get_args(annotation)[-1])
                elif origin is tuple:  # tuple[X, ...]: every item is an X
                    following.append(typing.get_args(annotation)[0])
        current = following
    names: set[str] = set()
    for candidate in current:
        for annotation in _unwrap(candidate):
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                names.update(annotation.model_fields)
    return sorted(names)


def diagnostics_from(
    error: ValidationError,
    *,
    model: type[BaseModel],
    document: SourceDocument,
    prefix: Path_ = (),
    file: str | None = None,
    position_of: typing.Callable[[Path_, bool], tuple[int, int] | None] | None = None,
    note: str = "",
) -> list[Diagnostic]:
    """Diagnostics for every error in ``error``, located in ``document``.

    ``prefix`` is where the validated data sits in the document (``("spec",)`` for a
    spec). ``position_of`` overrides how a path is located (used for environment
    overrides, whose values come from another file); ``note`` is appended to messages.
    """
    return [
        _one(details, model, document, prefix, file, position_of, note)
        for details in error.errors(include_url=False)
        if not _is_consequence(details)
    ]


def _is_consequence(details: ErrorDetails) -> bool:
    """Whether the error only follows from others: a list that is long enough as written
    but "too short after validation" because its items failed (they are reported)."""
    value, context = details.get("input"), details.get("ctx") or {}
    return (
        details["type"] == "too_short"
        and isinstance(value, list | tuple)
        and len(value) >= int(context.get("min_length", 0))
    )


class _Explanation(typing.NamedTuple):
    """What a diagnostic says about one error, apart from where it is."""

    message: str
    allowed: str | None = None
    hint: str | None = None
    value: str | None = None


def _one(
    details: ErrorDetails,
    model: type[BaseModel],
    document: SourceDocument,
    prefix: Path_,
    file: str | None,
    position_of: typing.Callable[[Path_, bool], tuple[int, int] | None] | None,
    note: str,
) -> Diagnostic:
    loc = tuple(p for p in details["loc"] if p != "[key]")
    kind = details["type"]
    context = details.get("ctx") or {}
    if kind == "trellis_rule" and context.get("field"):
        # A cross-field rule names the field to change below the model that raised it.
        loc = (*loc, *(int(p) if p.isdigit() else p for p in context["field"].split(".")))
    path: Path_ = (*prefix, *loc)
    # An unknown key, or a mapping key that breaks its rule (a header name): point at the key.
    is_key = kind == "extra_forbidden" or details["loc"][-1:] == ("[key]",)
    if position_of is not None:
        position = position_of(path, is_key)
    else:
        position = (
            document.key_position(path)
            if is_key
            else document.position(path[:-1] if kind == "missing" else path)
        )
    line, column = position if position else (None, None)
    explained = _explain(details, model, loc)
    return Diagnostic(
        file=file or document.file,
        line=line,
        column=column,
        path=".".join(str(p) for p in path),
        message=f"{explained.message} ({note})" if note else explained.message,
        code=f"schema.{kind}",
        value=explained.value,
        allowed=explained.allowed,
        hint=explained.hint,
    )


def _explain(
    details: ErrorDetails, model: type[BaseModel], loc: tuple[int | str, ...]
) -> _Explanation:
    """The message, allowed values, fix and shown value for one pydantic error."""
    kind = details["type"]
    value = details.get("input")
    context = details.get("ctx") or {}
    hint: str | None = context.get("hint")
    field = str(loc[-1]) if loc else ""
    if kind == "extra_forbidden":
        choices = fields_at(model, loc[:-1])
        close = suggest(field, choices)
        return _Explanation(
            f"unknown field {field!r}",
            ", ".join(choices) if choices else None,
            f"did you mean {close!r}?" if close else "remove it",
        )
    if kind == "missing":
        return _Explanation(f"required field {field!r} is missing", None, f"add {field}: <value>")
    if kind == "trellis_rule":
        return _Explanation(details["msg"], context.get("allowed"), hint)
    if kind == "literal_error":
        expected = context.get("expected", "")
        options = [o.strip().strip("'") for o in expected.replace(" or ", ",").split(",")]
        close = suggest(str(value), options)
        return _Explanation(
            f"{show(value)} is not one of the allowed values",
            ", ".join(o for o in options if o),
            f"did you mean {close!r}?" if close else None,
            show(value),
        )
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        bound = context.get(key)
        limit = words.format(bound) if "{}" in words else f"{words} {bound}"
        return _Explanation(
            f"{show(value)} must be {limit}", limit, hint or f"make it {limit}", show(value)
        )
    if kind in _TYPE_NAMES:
        return _explain_type(kind, value, hint)
    if kind == "string_pattern_mismatch":
        pattern = context.get("pattern", "")
        return _Explanation(
            f"{show(value)} does not match the pattern {pattern}",
            f"text matching {pattern}",
            hint or "change the value so that it matches the pattern",
            show(value),
        )
    return _Explanation(details["msg"], None, hint, show(value))


def _explain_type(kind: str, value: Any, hint: str | None) -> _Explanation:
    """A value of the wrong type: what was found, what is expected, and the usual fix."""
    expected_type = _TYPE_NAMES[kind]
    found = type_name(value)
    article = "an" if found[0] in "aeiou" else "a"
    message = (
        f"the value is empty (null); expected {expected_type}"
        if value is None
        else f"{show(value)} is {article} {found}; expected {expected_type}"
    )
    if isinstance(value, str) and kind in ("int_type", "float_type", "bool_type"):
        hint = scalar_text_hint(kind, value)
    elif kind == "string_type" and isinstance(value, int | float) and not isinstance(value, bool):
        hint = f'quote it: "{value}"'
    elif kind == "string_type" and isinstance(value, bool):
        hint = f'quote it: "{str(value).lower()}" (YAML reads unquoted true/false as booleans)'
    return _Explanation(message, expected_type, hint or _TYPE_FIXES.get(expected_type), show(value))


def scalar_text_hint(kind: str, text: str) -> str:
    """The fix for text where a number or boolean belongs.

    Quotes are the mistake only when the text inside them is the right value
    (``"50"``); a word (``fifty``) or a fraction where a whole number belongs needs a
    different fix.
    """
    stripped = text.strip()
    if kind == "bool_type":
        if stripped.lower() in ("true", "false"):
            return f"write {stripped.lower()} without quotes"
        return "write true or false, without quotes"
    try:
        number = float(stripped)
    except ValueError:
        example = "50" if kind == "int_type" else "0.05"
        return f"write the number in digits, e.g. {example} ({text!r} is not a number)"
    if kind == "int_type" and not number.is_integer():
        return f"use a whole number, e.g. {round(number)}"
    shown = str(int(number)) if kind == "int_type" else stripped
    return f"write {shown} without quotes"
