"""One parser and one serialiser for every settings shape of the contract.

A settings shape is a frozen dataclass whose field names are the JSON keys (or, with
:func:`setting`'s ``env``, the ``TRELLIS_*`` variables that
:mod:`runtime.contract.environment` maps) the generator writes and the runtime reads.
The field's type says how its value is written and read:

- ``str``, ``int``, ``float``, ``bool`` and ``Literal[...]`` are JSON scalars;
- ``tuple[str, ...]`` is a JSON list; ``tuple[tuple[str, str], ...]`` a JSON object of
  strings (read back sorted by key); ``Mapping[str, str]`` and ``Mapping[str, object]``
  JSON objects;
- a nested shape is a JSON object; a union of shapes that each name their ``KEY`` (a
  ``ClassVar``) is a *one-of* object, ``{"<KEY>": <the member's object>}``, and a member
  with a ``SCALAR`` field is written as that field's value alone;
- ``X | None`` may be absent (or ``null``); ``None`` is left out when written, unless
  the field asks to keep ``null``.

Reading checks each value against its type and the bounds and checks :func:`setting`
declares, then the shape's own ``problems()`` (rules across fields). Every failure is a
:class:`~runtime.core.exceptions.SettingsError` naming the variable and the dot path of
the field, so a wiring mistake reads "environment variable TRELLIS_SOURCE:
pagination.page.size (0) must be between 1 and 100000".
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Literal, TypeVar, dataclass_transform, get_args, get_origin

from runtime.core.exceptions import SettingsError

__all__ = [
    "Problem",
    "json_keys",
    "keyword_shape",
    "parse_json",
    "setting",
    "shape",
    "to_json",
    "to_plain",
]

T = TypeVar("T")
Check = Callable[[Any], "str | None"]
"""A field's own rule: the problem with a value (``None`` when it is fine)."""
NO_DEFAULT: Any = dataclasses.MISSING


class Problem(ValueError):
    """A value breaks a rule; raised inside the codec and named with variable and path."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path} {problem}" if path else problem)


def setting(
    *,
    default: Any = NO_DEFAULT,
    key: str | None = None,
    env: str | None = None,
    low: float | None = None,
    high: float | None = None,
    check: Check | None = None,
    keep_null: bool = False,
) -> Any:
    """A field of a settings shape with its rules.

    Args:
        default: the value when the key is absent (absent and no default: "is required").
        key: the JSON key when it differs from the field name (the blueprint's key).
        env: the ``TRELLIS_*`` variable holding the field in a function's environment.
        low: the smallest number allowed. high: the largest.
        check: a rule of the field's own value (returns the problem, or ``None``).
        keep_null: write ``null`` for ``None`` instead of leaving the key out.
    """
    metadata = {"key": key, "env": env, "low": low, "high": high, "check": check}
    metadata["keep_null"] = keep_null
    return dataclasses.field(default=default, metadata=metadata)


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, setting))
def shape(cls: type[T]) -> type[T]:
    """Declare a settings shape: a frozen dataclass whose fields may use :func:`setting`."""
    return dataclasses.dataclass(frozen=True)(cls)


@dataclass_transform(
    frozen_default=True, kw_only_default=True, field_specifiers=(dataclasses.field, setting)
)
def keyword_shape(cls: type[T]) -> type[T]:
    """:func:`shape` whose fields are passed by name (required ones may follow defaults)."""
    return dataclasses.dataclass(frozen=True, kw_only=True)(cls)


_HINTS: dict[type, dict[str, Any]] = {}


def type_hints(cls: type) -> dict[str, Any]:
    """The resolved field types of settings class ``cls`` (cached per class)."""
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    return dataclasses.fields(cls)


def _key(field: dataclasses.Field[Any]) -> str:
    return field.metadata.get("key") or field.name


def json_keys(cls: type) -> tuple[str, ...]:
    """The JSON keys of shape ``cls`` in declaration order (for the blueprint's own check)."""
    return tuple(_key(f) for f in _fields(cls))


def _required(cls: type) -> tuple[str, ...]:
    return tuple(_key(f) for f in _fields(cls) if f.default is NO_DEFAULT)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def union_members(hint: Any) -> tuple[Any, ...]:
    """The members of a union type (``X | None`` gives both); a single type alone."""
    origin = get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return get_args(hint)
    return (hint,)


def is_shape(hint: Any) -> bool:
    """Whether ``hint`` is a settings shape (a dataclass) rather than a value type."""
    return isinstance(hint, type) and dataclasses.is_dataclass(hint)


# -- reading --------------------------------------------------------------------------------


_NAMES: dict[Any, str] = {str: "a string", int: "an integer", float: "a number", bool: "a boolean"}


def _scalar(hint: Any, value: Any, path: str) -> Any:
    if hint is str and isinstance(value, str):
        return value
    if hint is bool and isinstance(value, bool):
        return value
    if hint is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return value  # an int stays an int, so writing it back gives the same bytes
    raise Problem(path, f"must be {_NAMES.get(hint, hint)}, found {value!r}")


def _one_of(hint: Any, value: Any, path: str) -> Any:
    """The member of a one-of union whose ``KEY`` the object holds (exactly one)."""
    members = [m for m in union_members(hint) if m is not type(None)]
    keys = list(dict.fromkeys(m.KEY for m in members))
    if not isinstance(value, dict):
        raise Problem(path, f"must be an object, found {value!r}")
    chosen = [k for k in keys if value.get(k) is not None]
    unknown = sorted(set(value) - set(keys))
    if unknown:
        raise Problem(_join(path, unknown[0]), f"is not a known key (known: {', '.join(keys)})")
    if len(chosen) != 1:
        raise Problem(path, f"must have exactly one of {', '.join(keys)}")
    body, where = value[chosen[0]], _join(path, chosen[0])
    candidates = [m for m in members if chosen[0] == m.KEY]
    scalar = getattr(candidates[0], "SCALAR", None)
    if scalar is not None:
        return _read_shape(candidates[0], {scalar: body}, path, at_key=where)
    if len(candidates) > 1 and isinstance(body, dict):
        fitting = [m for m in candidates if set(_required(m)) <= set(body) <= set(json_keys(m))]
        if len(fitting) != 1:
            keys_of = " or ".join(f"({', '.join(json_keys(m))})" for m in candidates)
            raise Problem(where, f"must have the keys {keys_of}, found {sorted(body)}")
        candidates = fitting
    return _read(candidates[0], body, where)


def _read(hint: Any, value: Any, path: str) -> Any:
    members = union_members(hint)
    if len(members) > 1:
        if type(None) in members and value is None:
            return None
        rest = [m for m in members if m is not type(None)]
        if all(is_shape(m) for m in rest) and all(hasattr(m, "KEY") for m in rest):
            return _one_of(hint, value, path)
        if len(rest) == 1:
            return _read(rest[0], value, path)
        for member in rest:
            try:
                return _read(member, value, path)
            except Problem:
                continue
        names = " or ".join(_NAMES.get(m, str(m)) for m in rest)
        raise Problem(path, f"must be {names}, found {value!r}")
    origin, args = get_origin(hint), get_args(hint)
    if origin is Literal:
        if value not in args:
            allowed = " or ".join(args) if len(args) == 2 else "one of " + ", ".join(args)
            raise Problem(path, f"({value!r}) must be {allowed}")
        return value
    if origin is tuple:
        return _read_tuple(args, value, path)
    if origin is Mapping:
        if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
            raise Problem(path, f"must be a JSON object, found {value!r}")
        if args[1] is str and not all(isinstance(v, str) for v in value.values()):
            raise Problem(path, f"must be an object of strings, found {value!r}")
        return dict(value)
    if is_shape(hint):
        return _read_shape(hint, value, path)
    return _scalar(hint, value, path)


def _read_tuple(args: tuple[Any, ...], value: Any, path: str) -> tuple[Any, ...]:
    item = args[0]
    if get_origin(item) is tuple:  # tuple[tuple[str, str], ...]: an object of strings
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise Problem(path, f"must be an object of strings, found {value!r}")
        return tuple(sorted(value.items()))
    if not isinstance(value, list):
        raise Problem(path, f"must be a list, found {value!r}")
    return tuple(_read(item, v, f"{path}.{i}") for i, v in enumerate(value))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def check_field(field: dataclasses.Field[Any], value: Any, path: str) -> None:
    """The field's bounds and rule; the value is shown in brackets after a key path."""
    low, high = field.metadata.get("low"), field.metadata.get("high")
    check: Check | None = field.metadata.get("check")
    if value is None:
        return
    if low is not None and high is not None and not low <= value <= high:
        shown = f"({value})" if path else f"{value}"
        raise Problem(path, f"{shown} must be between {_number(low)} and {_number(high)}")
    problem = check(value) if check is not None else None
    if problem is not None:
        raise Problem(path, f"({value!r}) {problem}" if path else f"{value!r} {problem}")


def _read_shape(cls: type[T], value: Any, path: str, *, at_key: str | None = None) -> T:
    """Shape ``cls`` from a JSON object at ``path`` (``at_key`` names a scalar member)."""
    if not isinstance(value, dict):
        raise Problem(path, f"must be an object, found {value!r}")
    fields = _fields(cls)
    known = [_key(f) for f in fields]
    unknown = sorted(set(value) - set(known))
    if unknown:
        raise Problem(_join(path, unknown[0]), f"is not a known key (known: {', '.join(known)})")
    hints = type_hints(cls)
    given: dict[str, Any] = {}
    for field in fields:
        where = at_key if at_key is not None else _join(path, _key(field))
        raw = value.get(_key(field), NO_DEFAULT)
        if raw is NO_DEFAULT or (raw is None and field.default is not NO_DEFAULT):
            if field.default is NO_DEFAULT:
                raise Problem(where, "is required")
            continue
        given[field.name] = _read(hints[field.name], raw, where)
        check_field(field, given[field.name], where)
    built = cls(**given)
    check_shape(built, path)
    return built


def check_shape(shape: Any, path: str) -> None:
    """The shape's rules across fields (its ``problems()``); the first one raises."""
    problems: Callable[[], Iterator[tuple[str, str]]] | None = getattr(shape, "problems", None)
    for key, problem in problems() if problems is not None else ():
        raise Problem(_join(path, key), problem)


def parse_json(cls: type[T], variable: str, raw: str) -> T:
    """Read shape ``cls`` from the JSON text of ``variable``.

    Raises:
        SettingsError: the text is not JSON (with its line and column), a key is unknown or
            missing, or a value breaks its type or rule (with the key's dot path).
    """
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise SettingsError(variable, f"is not valid JSON ({error.msg} at {where})") from None
    if not isinstance(value, dict):
        raise SettingsError(variable, f"must be a JSON object, found {type(value).__name__}")
    try:
        return _read_shape(cls, value, "")
    except Problem as problem:
        raise SettingsError(variable, str(problem)) from None


# -- writing --------------------------------------------------------------------------------


def to_plain(shape: Any) -> dict[str, Any]:
    """Shape ``shape`` as the JSON-ready dictionary :func:`parse_json` reads back."""
    hints = type_hints(type(shape))
    out: dict[str, Any] = {}
    for field in _fields(type(shape)):
        value = getattr(shape, field.name)
        if value is None and not field.metadata.get("keep_null"):
            continue
        out[_key(field)] = _plain(hints[field.name], value)
    return out


def _plain(hint: Any, value: Any) -> Any:
    if is_shape(type(value)):
        tag = getattr(type(value), "KEY", None)
        if tag is None:
            return to_plain(value)
        scalar = getattr(type(value), "SCALAR", None)
        return {tag: getattr(value, scalar) if scalar is not None else to_plain(value)}
    if get_origin(hint) is tuple:
        item = get_args(hint)[0]
        if get_origin(item) is tuple:
            return dict(value)
        return [_plain(item, v) for v in value]
    if isinstance(value, Mapping):
        return dict(value)
    return value


def to_json(shape: Any) -> str:
    """Shape ``shape`` as the compact, key-sorted JSON a ``TRELLIS_*`` variable carries."""
    return json.dumps(to_plain(shape), sort_keys=True, separators=(",", ":"))
