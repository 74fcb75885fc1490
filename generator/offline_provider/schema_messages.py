"""Protocol schema messages built from the compact schema.

Terraform core learns every resource's shape from ``GetProviderSchema``. The response is
built here from the compact schema: attribute types travel as their cty JSON encoding in
bytes, nested blocks keep their nesting mode and item limits, and flags (required,
optional, computed, sensitive, deprecated, write-only) are copied as they are. The
serialised response is what the server sends; :func:`response_bytes` caches it on disk
under the schema hash and the set of served types, so a session that serves the same
types again skips the build.

What can go wrong: an unknown ``nesting_mode`` raises :class:`ValueError` (the schema file
is not a Terraform provider schema).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from generator.offline_provider.proto import tfplugin6_pb2 as pb
from generator.offline_provider.schema_model import Block

_NESTING = {
    "single": pb.Schema.NestedBlock.SINGLE,
    "list": pb.Schema.NestedBlock.LIST,
    "set": pb.Schema.NestedBlock.SET,
    "map": pb.Schema.NestedBlock.MAP,
    "group": pb.Schema.NestedBlock.GROUP,
}
_OBJECT_NESTING = {
    "single": pb.Schema.Object.SINGLE,
    "list": pb.Schema.Object.LIST,
    "set": pb.Schema.Object.SET,
    "map": pb.Schema.Object.MAP,
}


def _attribute(name: str, spec: dict[str, Any]) -> pb.Schema.Attribute:
    attribute = pb.Schema.Attribute(
        name=name,
        description=spec.get("description", ""),
        required=bool(spec.get("required")),
        optional=bool(spec.get("optional")),
        computed=bool(spec.get("computed")),
        sensitive=bool(spec.get("sensitive")),
        deprecated=bool(spec.get("deprecated")),
        write_only=bool(spec.get("write_only")),
    )
    nested = spec.get("nested_type")
    if nested is not None:
        attribute.nested_type.CopyFrom(
            pb.Schema.Object(
                attributes=[_attribute(n, a) for n, a in sorted(nested["attributes"].items())],
                nesting=_OBJECT_NESTING[nested.get("nesting_mode", "single")],
            )
        )
    else:
        attribute.type = json.dumps(spec["type"], separators=(",", ":")).encode()
    return attribute


def block_message(block: Block) -> pb.Schema.Block:
    """One ``Schema.Block`` from a compact block, attributes and nested blocks sorted."""
    message = pb.Schema.Block(
        attributes=[_attribute(n, a) for n, a in sorted(block.get("attributes", {}).items())],
        deprecated=bool(block.get("deprecated")),
    )
    for name, nested in sorted(block.get("block_types", {}).items()):
        mode = nested["nesting_mode"]
        if mode not in _NESTING:
            raise ValueError(f"unknown nesting_mode {mode!r} for block {name!r}")
        message.block_types.append(
            pb.Schema.NestedBlock(
                type_name=name,
                block=block_message(nested["block"]),
                nesting=_NESTING[mode],
                min_items=int(nested.get("min_items", 0)),
                max_items=int(nested.get("max_items", 0)),
            )
        )
    return message


def _schema(entry: dict[str, Any]) -> pb.Schema:
    return pb.Schema(version=int(entry.get("version", 0)), block=block_message(entry["block"]))


def build_response(selected: dict[str, Any]) -> pb.GetProviderSchema.Response:
    """The ``GetProviderSchema`` response for a schema cut down by ``schema_model.select``."""
    response = pb.GetProviderSchema.Response(
        provider=_schema(selected["provider"]),
        server_capabilities=pb.ServerCapabilities(plan_destroy=False),
    )
    for name, entry in selected["resource_schemas"].items():
        response.resource_schemas[name].CopyFrom(_schema(entry))
    for name, entry in selected["data_source_schemas"].items():
        response.data_source_schemas[name].CopyFrom(_schema(entry))
    return response


def response_bytes(selected: dict[str, Any], schema_hash: str, cache_dir: Path) -> bytes:
    """The serialised response, from ``cache_dir`` when this exact selection was built before."""
    # The selection's content, not only its names: opaque blocks are shaped by the stacks.
    key_source = json.dumps([schema_hash, selected], sort_keys=True)
    key = hashlib.sha256(key_source.encode()).hexdigest()[:32]
    path = cache_dir / f"schema-{key}.pb"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data = build_response(selected).SerializeToString(deterministic=True)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return data
