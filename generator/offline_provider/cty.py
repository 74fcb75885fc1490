"""Terraform values on the wire: cty types and their msgpack encoding.

Terraform passes every resource value to a provider as a ``DynamicValue`` whose
``msgpack`` field holds the value encoded against its schema type. The encoding is
type-directed, so this module always works with a value *and* its type:

* types are kept in their JSON form, exactly as the schema carries them: ``"string"``,
  ``"number"``, ``"bool"``, ``"dynamic"``, ``["list", T]``, ``["set", T]``,
  ``["map", T]``, ``["object", {name: T}]`` (optionally with a third element listing
  optional attributes) and ``["tuple", [T, ...]]``;
* values are plain Python: ``None`` is null, :data:`UNKNOWN` is an unknown value, strings,
  bools, ints and floats are primitives, lists hold list, set and tuple elements, dicts hold
  map and object values, and :class:`Dynamic` pairs a value with its concrete type where
  the schema says ``dynamic``.

Encoding rules (cty's msgpack format): null is msgpack nil; unknown is the extension type
0 (a one-byte ``fixext1``; refined unknowns, extension type 12, decode as unknown too);
numbers are integers when whole and floats otherwise; an object is a map holding every
attribute of its type; a ``dynamic`` value is a two-element array ``[type JSON, value]``.

What can go wrong: :class:`CtyError` when bytes do not match the type they are decoded
against (a bug in the caller or a protocol mismatch, never user input).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

import msgpack

CtyType = str | list[Any]

_UNKNOWN_EXT: Final = 0
_REFINED_UNKNOWN_EXT: Final = 12


class CtyError(ValueError):
    """A value does not fit the type it is encoded or decoded against."""


class _Unknown:
    """The one unknown value: "known after apply"."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()


@dataclass(frozen=True)
class Dynamic:
    """A value whose schema type is ``dynamic``, with the concrete type it arrived with."""

    type: CtyType
    value: Any


def type_kind(ty: CtyType) -> str:
    """``string``, ``number``, ``bool``, ``dynamic``, ``list``, ``set``, ``map``, ``object``
    or ``tuple``."""
    if isinstance(ty, str):
        return ty
    return str(ty[0])


def is_known(value: Any) -> bool:
    """True when ``value`` holds no unknown anywhere inside it."""
    if value is UNKNOWN:
        return False
    if isinstance(value, Dynamic):
        return is_known(value.value)
    if isinstance(value, list):
        return all(is_known(v) for v in value)
    if isinstance(value, dict):
        return all(is_known(v) for v in value.values())
    return True


# ---------------------------------------------------------------------------- encoding


def encode(value: Any, ty: CtyType) -> bytes:
    """Encode ``value`` of type ``ty`` as cty msgpack."""
    packer = msgpack.Packer(use_bin_type=True)
    return bytes(packer.pack(_to_wire(value, ty)))


def _to_wire(value: Any, ty: CtyType) -> Any:
    if value is None:
        return None
    if value is UNKNOWN:
        return msgpack.ExtType(_UNKNOWN_EXT, b"\x00")
    kind = type_kind(ty)
    if kind == "dynamic":
        if isinstance(value, Dynamic):
            if value.value is UNKNOWN:
                return msgpack.ExtType(_UNKNOWN_EXT, b"\x00")
            type_json = json.dumps(value.type, separators=(",", ":")).encode()
            return [type_json, _to_wire(value.value, value.type)]
        raise CtyError(f"dynamic value without a concrete type: {value!r}")
    if kind == "string":
        if not isinstance(value, str):
            raise CtyError(f"expected a string, got {value!r}")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise CtyError(f"expected a bool, got {value!r}")
        return value
    if kind == "number":
        return _number_to_wire(value)
    assert isinstance(ty, list)
    if kind in ("list", "set"):
        return [_to_wire(v, ty[1]) for v in _expect_list(value)]
    if kind == "tuple":
        elements = _expect_list(value)
        if len(elements) != len(ty[1]):
            raise CtyError(f"tuple of {len(ty[1])} elements, got {len(elements)}")
        return [_to_wire(v, t) for v, t in zip(elements, ty[1], strict=True)]
    if kind == "map":
        mapping = _expect_dict(value)
        return {k: _to_wire(mapping[k], ty[1]) for k in sorted(mapping)}
    if kind == "object":
        mapping = _expect_dict(value)
        attrs: dict[str, CtyType] = ty[1]
        return {name: _to_wire(mapping.get(name), attrs[name]) for name in sorted(attrs)}
    raise CtyError(f"unsupported type {ty!r}")


def _number_to_wire(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise CtyError(f"expected a number, got {value!r}")
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        return str(value)  # cty writes numbers beyond int64 as their decimal string
    return value


def _expect_list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise CtyError(f"expected a sequence, got {value!r}")
    return value


def _expect_dict(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CtyError(f"expected a mapping, got {value!r}")
    return value


# ---------------------------------------------------------------------------- decoding


def decode(data: bytes, ty: CtyType) -> Any:
    """Decode cty msgpack ``data`` as a value of type ``ty``."""
    if not data:
        return None
    raw = msgpack.unpackb(data, raw=False, ext_hook=_ext_hook, strict_map_key=False)
    return _from_wire(raw, ty)


def decode_json(data: bytes, ty: CtyType) -> Any:
    """Decode a JSON-encoded value (stored state, ``DynamicValue.json``) of type ``ty``."""
    if not data:
        return None
    return _from_json(json.loads(data), ty)


def _ext_hook(code: int, payload: bytes) -> Any:
    if code in (_UNKNOWN_EXT, _REFINED_UNKNOWN_EXT):
        return UNKNOWN
    raise CtyError(f"unexpected msgpack extension type {code}")


def _from_wire(raw: Any, ty: CtyType) -> Any:
    if raw is None or raw is UNKNOWN:
        return raw
    kind = type_kind(ty)
    if kind == "dynamic":
        if not (isinstance(raw, list) and len(raw) == 2):
            raise CtyError(f"dynamic value must be [type, value], got {raw!r}")
        concrete: CtyType = json.loads(raw[0])
        return Dynamic(concrete, _from_wire(raw[1], concrete))
    if kind in ("string", "bool"):
        return raw
    if kind == "number":
        return _number_from_wire(raw)
    assert isinstance(ty, list)
    if kind in ("list", "set"):
        return [_from_wire(v, ty[1]) for v in _expect_list(raw)]
    if kind == "tuple":
        return [_from_wire(v, t) for v, t in zip(_expect_list(raw), ty[1], strict=True)]
    if kind == "map":
        return {k: _from_wire(v, ty[1]) for k, v in _expect_dict(raw).items()}
    if kind == "object":
        mapping = _expect_dict(raw)
        attrs: dict[str, CtyType] = ty[1]
        return {name: _from_wire(mapping.get(name), attrs[name]) for name in attrs}
    raise CtyError(f"unsupported type {ty!r}")


def _number_from_wire(raw: Any) -> Any:
    if isinstance(raw, str):
        number = float(raw)
        return int(number) if number.is_integer() else number
    return raw


def _from_json(raw: Any, ty: CtyType) -> Any:
    if raw is None:
        return None
    kind = type_kind(ty)
    if kind == "dynamic":
        # Stored state writes dynamic values as {"value": ..., "type": ...}.
        concrete = raw["type"]
        return Dynamic(concrete, _from_json(raw["value"], concrete))
    if kind in ("string", "bool", "number"):
        return _number_from_wire(raw) if kind == "number" else raw
    assert isinstance(ty, list)
    if kind in ("list", "set"):
        return [_from_json(v, ty[1]) for v in raw]
    if kind == "tuple":
        return [_from_json(v, t) for v, t in zip(raw, ty[1], strict=True)]
    if kind == "map":
        return {k: _from_json(v, ty[1]) for k, v in raw.items()}
    attrs: dict[str, CtyType] = ty[1]
    return {name: _from_json(raw.get(name), attrs[name]) for name in attrs}
