"""A function's settings as its ``TRELLIS_*`` environment variables, and back.

A settings class whose fields name their variable (``setting(env=...)``) is a function's
whole environment: scalar fields are written as text (``""`` for ``None``), shape-valued
ones as JSON through :mod:`runtime.contract.codec`, and a nested settings class without a
variable of its own (the common part) is flattened in. The generator writes with
:func:`to_environment`; the runtime reads with :func:`from_environment`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, get_args, get_origin

from runtime.contract.codec import (
    NO_DEFAULT,
    Problem,
    check_field,
    check_shape,
    is_shape,
    parse_json,
    to_json,
    type_hints,
    union_members,
)
from runtime.core.exceptions import SettingsError

__all__ = ["from_environment", "to_environment"]

T = TypeVar("T")


def to_environment(settings: Any) -> dict[str, str]:
    """A function's settings as its ``TRELLIS_*`` variables (``""`` for ``None``).

    Nested settings without an ``env`` of their own (the common part) are flattened in.
    """
    out: dict[str, str] = {}
    for field in dataclasses.fields(type(settings)):
        value, variable = getattr(settings, field.name), field.metadata.get("env")
        if variable is None:
            out.update(to_environment(value))
        elif value is None:
            out[variable] = ""
        elif is_shape(type(value)):
            out[variable] = to_json(value)
        else:
            out[variable] = str(value)
    return out


def _env_value(hint: Any, variable: str, raw: str) -> Any:
    rest = [m for m in union_members(hint) if m is not type(None)]
    target = rest[0]
    if is_shape(target):
        return parse_json(target, variable, raw)
    if target is int:
        try:
            return int(raw)
        except ValueError:
            raise Problem("", f"{raw!r} is not an integer") from None
    if get_origin(target) is Literal and raw not in get_args(target):
        raise Problem("", f"{raw!r} must be one of {', '.join(get_args(target))}")
    return raw


def from_environment(cls: type[T], env: Mapping[str, str]) -> T:
    """Read settings ``cls`` from a function's environment (the reverse of
    :func:`to_environment`).

    Raises:
        SettingsError: a variable is missing (empty counts as missing unless the field may
            be ``None``), or its value breaks its type or rule.
    """
    hints = type_hints(cls)
    given: dict[str, Any] = {}
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]  # a settings class
        variable = field.metadata.get("env")
        if variable is None:
            given[field.name] = from_environment(hints[field.name], env)
            continue
        raw = env.get(variable, "").strip()
        optional = type(None) in union_members(hints[field.name])
        if not raw:
            if field.default is not NO_DEFAULT:
                continue
            if not optional:
                raise SettingsError(variable, "is not set; the generator sets it on every function")
            given[field.name] = None
            continue
        try:
            given[field.name] = _env_value(hints[field.name], variable, raw)
            check_field(field, given[field.name], "")
        except Problem as problem:
            raise SettingsError(variable, problem.problem) from None
    built = cls(**given)
    try:
        check_shape(built, "")
    except Problem as problem:
        raise SettingsError(problem.path, problem.problem) from None
    return built
