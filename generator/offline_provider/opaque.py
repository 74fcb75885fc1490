"""Serve blocks the compact schema could not describe, shaped by how the stacks use them.

A few provider types nest a block recursively (the ``statement`` of WAFv2 web ACLs and
rule groups, the ``definition`` of QuickSight). The CDK bindings type those as ``any``,
so the compact schema marks them ``{"opaque": true}`` and knows nothing of their contents.
Terraform cannot validate or plan a block whose schema is empty, so for the types a
session serves, each opaque block is replaced by a schema synthesised from the
configuration itself: every attribute written there becomes an optional attribute (its
type read from the literal: number, bool, list of strings, else string) and every block
written there a list-nested block, recursively.

What this does not do: check anything inside those blocks. A misspelt argument inside a
WAF statement is accepted offline and rejected by the real provider; the provider-schema
validator says the same of opaque blocks.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator import hcl_reader

Block = dict[str, Any]


def _has_opaque(block: Block) -> bool:
    if block.get("opaque"):
        return True
    return any(_has_opaque(nested["block"]) for nested in block.get("block_types", {}).values())


def _is_block(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) and item.get("__is_block__") for item in value)
    )


def _children(bodies: Iterable[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    """Every instance of block ``name`` in ``bodies``, ``dynamic`` blocks' content included."""
    found: list[dict[str, Any]] = []
    for body in bodies:
        value: Any = body.get(name)
        if _is_block(value):
            found.extend(value)
        for dynamic in body.get("dynamic", []) if isinstance(body.get("dynamic"), list) else []:
            for label, content_holder in dynamic.items():
                if label.strip('"') == name and isinstance(content_holder, dict):
                    found.extend(
                        c for c in content_holder.get("content", []) if isinstance(c, dict)
                    )
    return found


def _literal_type(value: Any) -> Any:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return ["list", "string"]
    return "string"


def _synthesise(bodies: list[dict[str, Any]]) -> Block:
    attributes: dict[str, Any] = {}
    nested_names: set[str] = set()
    for body in bodies:
        for key, value in body.items():
            if key.startswith("__") or key == "dynamic":
                continue
            if _is_block(value):
                nested_names.add(key)
            else:
                attributes.setdefault(key, {"type": _literal_type(value), "optional": True})
        for dynamic in body.get("dynamic", []) if isinstance(body.get("dynamic"), list) else []:
            nested_names.update(label.strip('"') for label in dynamic)
    return {
        "attributes": attributes,
        "block_types": {
            name: {"nesting_mode": "list", "block": _synthesise(_children(bodies, name))}
            for name in sorted(nested_names)
        },
    }


def _fill(block: Block, bodies: list[dict[str, Any]]) -> Block:
    if block.get("opaque"):
        return _synthesise(bodies)
    filled = dict(block)
    filled["block_types"] = {
        name: {**nested, "block": _fill(nested["block"], _children(bodies, name))}
        for name, nested in block.get("block_types", {}).items()
    }
    return filled


def _bodies(directories: Iterable[Path], kind: str, type_name: str) -> list[dict[str, Any]]:
    needle = f'"{type_name}"'
    bodies: list[dict[str, Any]] = []
    for directory in directories:
        for file in sorted(directory.glob("*.tf")):
            text = file.read_text(encoding="utf-8", errors="replace")
            if needle not in text:
                continue
            for entry in hcl_reader.loads(text).get(kind, []):
                for label, named in entry.items():
                    if label.strip('"') == type_name and isinstance(named, dict):
                        bodies.extend(b for b in named.values() if isinstance(b, dict))
    return bodies


def fill_opaque_blocks(selected: dict[str, Any], directories: Iterable[Path]) -> dict[str, Any]:
    """``selected`` with every opaque block replaced by one shaped like its uses.

    Returns ``selected`` itself when nothing in it is opaque (the common case: no file is
    parsed then).
    """
    sections = {"resource_schemas": "resource", "data_source_schemas": "data"}
    affected = [
        (section, name)
        for section in sections
        for name, entry in selected.get(section, {}).items()
        if _has_opaque(entry["block"])
    ]
    if not affected:
        return selected
    directories = list(directories)
    result = copy.deepcopy(selected)
    for section, name in affected:
        bodies = _bodies(directories, sections[section], name)
        entry = result[section][name]
        entry["block"] = _fill(entry["block"], bodies)
    return result
