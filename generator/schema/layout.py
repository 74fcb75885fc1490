"""Reduce provider schemas in the layouts we meet to the compact layout of :mod:`generator.schema`.

Two inputs are understood:

* ``terraform providers schema -json``: ``{"provider_schemas": {"registry.terraform.io/
  hashicorp/aws": {"resource_schemas": ..., "data_source_schemas": ...}}}``;
* the snapshot layout of ``shared/data/aws-provider-schema-6.47.0.json.gz``:
  ``{"resource": ..., "data": ..., "ephemeral": ..., "_absent": [...]}``;

and the compact layout itself passes through. Descriptions and other documentation keys are
dropped; ``type``, ``required``, ``optional``, ``computed``, ``sensitive`` of attributes and
``nesting_mode``, ``min_items``, ``max_items`` of blocks are kept. Raises
:class:`SchemaLayoutError` for anything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ATTRIBUTE_KEYS = ("type", "required", "optional", "computed", "sensitive")
AWS_PROVIDER_SUFFIX = "hashicorp/aws"


class SchemaLayoutError(ValueError):
    """A schema document in none of the known layouts."""


def reduce_block(block: Mapping[str, Any]) -> dict[str, Any]:
    """A block with documentation dropped and empty maps omitted."""
    result: dict[str, Any] = {}
    attributes = {
        name: {key: attr[key] for key in ATTRIBUTE_KEYS if attr.get(key)}
        for name, attr in block.get("attributes", {}).items()
    }
    if attributes:
        result["attributes"] = attributes
    block_types: dict[str, Any] = {}
    for name, block_type in block.get("block_types", {}).items():
        reduced: dict[str, Any] = {
            "nesting_mode": block_type["nesting_mode"],
            "block": reduce_block(block_type.get("block", {})),
        }
        for key in ("min_items", "max_items"):
            if block_type.get(key):
                reduced[key] = block_type[key]
        block_types[name] = reduced
    if block_types:
        result["block_types"] = block_types
    if block.get("opaque"):
        result["opaque"] = True
    return result


def _reduce_types(types: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: {"version": int(schema.get("version", 0)), "block": reduce_block(schema["block"])}
        for name, schema in types.items()
    }


def to_compact(document: Mapping[str, Any], provider_version: str = "") -> dict[str, Any]:
    """The compact layout of any known schema document (see the module docstring)."""
    if "provider_schemas" in document:
        providers = document["provider_schemas"]
        keys = [k for k in providers if k.endswith(AWS_PROVIDER_SUFFIX)]
        if len(keys) != 1:
            raise SchemaLayoutError(
                "expected one hashicorp/aws provider in provider_schemas, "
                f"found {sorted(providers)}"
            )
        provider = providers[keys[0]]
        return {
            "provider_version": provider_version,
            "resource_schemas": _reduce_types(provider.get("resource_schemas", {})),
            "data_source_schemas": _reduce_types(provider.get("data_source_schemas", {})),
        }
    if "resource_schemas" in document:
        compact = dict(document)
        compact["resource_schemas"] = _reduce_types(document["resource_schemas"])
        compact["data_source_schemas"] = _reduce_types(document.get("data_source_schemas", {}))
        compact.setdefault("provider_version", provider_version)
        return compact
    if "resource" in document and "data" in document:
        return {
            "provider_version": provider_version,
            "resource_schemas": _reduce_types(document["resource"]),
            "data_source_schemas": _reduce_types(document["data"]),
        }
    raise SchemaLayoutError(
        "not a provider schema: expected provider_schemas, resource_schemas, or resource/data"
    )
