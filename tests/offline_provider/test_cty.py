"""cty msgpack encoding: type-directed values, unknowns as extension type 0."""

from __future__ import annotations

import msgpack
import pytest

from generator.offline_provider.cty import UNKNOWN, CtyError, Dynamic, decode, encode, is_known

OBJECT = [
    "object",
    {
        "name": "string",
        "tags": ["map", "string"],
        "ids": ["set", "number"],
        "nested": ["list", ["object", {"on": "bool"}]],
    },
]


def test_unknown_is_a_one_byte_fixext_of_type_zero() -> None:
    """An unknown value encodes as cty does: fixext1, extension type 0, payload 0."""
    assert encode(UNKNOWN, "string") == b"\xd4\x00\x00"


def test_object_encodes_every_attribute_sorted() -> None:
    """Objects are maps holding every attribute of the type, missing ones as nil."""
    raw = msgpack.unpackb(encode({"name": "q"}, OBJECT), raw=False)
    assert list(raw) == ["ids", "name", "nested", "tags"]
    assert raw["tags"] is None


def test_round_trip_with_unknowns_inside_collections() -> None:
    """Values with unknowns nested in maps, sets and lists survive a round trip."""
    value = {"name": "q", "tags": {"a": UNKNOWN}, "ids": [1, 2.5], "nested": [{"on": True}]}
    back = decode(encode(value, OBJECT), OBJECT)
    assert back == value
    assert not is_known(back)


def test_refined_unknown_decodes_as_unknown() -> None:
    """Extension type 12 (an unknown with refinements) reads as unknown."""
    data = msgpack.packb(msgpack.ExtType(12, b"\x81\x01\xc3"))
    assert decode(data, "string") is UNKNOWN


def test_dynamic_values_carry_their_type() -> None:
    """A dynamic value is [type JSON, value] on the wire and keeps its type."""
    value = Dynamic(["list", "string"], ["a"])
    raw = msgpack.unpackb(encode(value, "dynamic"), raw=False)
    assert raw == [b'["list","string"]', ["a"]]
    assert decode(encode(value, "dynamic"), "dynamic") == value


def test_whole_floats_encode_as_integers() -> None:
    """Numbers that are whole go on the wire as integers, as cty writes them."""
    assert msgpack.unpackb(encode(3.0, "number")) == 3


def test_wrong_python_type_is_refused() -> None:
    """A value that does not fit its type raises CtyError."""
    with pytest.raises(CtyError):
        encode(5, "string")
