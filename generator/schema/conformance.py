"""Check parsed ``resource`` and ``data`` blocks against the provider schema.

Works on the rule tree of python-hcl2 (``hcl2.parses``), which keeps line numbers. For each
block of an AWS type it reports, as :class:`Problem`:

* ``TRL_SCHEMA_UNKNOWN_TYPE``: the type is not in the schema;
* ``TRL_SCHEMA_UNKNOWN_ARG`` / ``TRL_SCHEMA_UNKNOWN_BLOCK``: a name the type does not have;
* ``TRL_SCHEMA_BLOCK_AS_ARG`` / ``TRL_SCHEMA_ARG_AS_BLOCK``: ``name = {...}`` for a block,
  ``name {...}`` for an argument;
* ``TRL_SCHEMA_MISSING_REQUIRED``: a required argument or block is absent (a block that a
  ``dynamic`` block of that name may produce is not counted as absent);
* ``TRL_SCHEMA_TOO_MANY_BLOCKS``: more literal blocks than ``max_items`` (or than one for
  a single nested block);
* ``TRL_SCHEMA_COMPUTED_ONLY``: an attribute the provider sets, set in configuration to
  anything but a literal ``null`` (an expression may be non-null, which Terraform rejects);
* ``TRL_SCHEMA_TYPE``: a literal that cannot convert to the attribute's type
  (:mod:`generator.schema.literals`).

Meta-arguments are understood: ``count``, ``for_each``, ``depends_on``, ``provider`` and
the ``lifecycle``, ``provisioner`` and ``connection`` blocks at the top of a block, and
``dynamic "<name>" { for_each, iterator, content { ... } }`` at any depth, whose
``content`` is checked like a block of that name. Types of other providers (``random_*``,
``terraform_data``) are not checked. Blocks the schema marks ``opaque`` (recursive or
untyped in the source) are not looked into.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from hcl2.rules.base import AttributeRule, BlockRule, BodyRule

from generator.schema.literals import literal_of, mismatch

META_ARGUMENTS = frozenset({"count", "for_each", "depends_on", "provider"})
META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})
DYNAMIC = "dynamic"
_DYNAMIC_KEYS = frozenset({"for_each", "iterator", "labels"})


@dataclass(frozen=True)
class Problem:
    """One schema violation at ``line``; ``path`` is the dotted name inside the block."""

    check_id: str
    line: int | None
    path: str
    message: str
    fix: str


def label(rule: Any) -> str:
    """A block label or identifier without its quotes."""
    return str(rule.serialize()).strip('"')


def line_of(rule: Any) -> int | None:
    """1-based line of a rule when the parser recorded it."""
    line = getattr(getattr(rule, "_meta", None), "line", None)
    return int(line) if isinstance(line, int) else None


def did_you_mean(name: str, candidates: list[str]) -> str:
    """``did you mean "x"? `` for the nearest candidate (difflib), or nothing."""
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.75)
    return f'did you mean "{close[0]}"? ' if close else ""


def _unknown_fix(name: str, candidates: list[str], owner: str, what: str) -> str:
    hint = did_you_mean(name, candidates)
    if hint:
        return f"{hint}rename it"
    return f"remove it: {owner} has no {what} of that name"


def _settable(block: Mapping[str, Any]) -> list[str]:
    attrs = block.get("attributes", {})
    names = [n for n, a in attrs.items() if a.get("optional") or a.get("required")]
    return sorted(names + list(block.get("block_types", {})))


def _is_object_collection(cty: Any) -> bool:
    """``list(object)``/``set(object)``: may be written as blocks (attributes as blocks)."""
    return (
        isinstance(cty, list)
        and cty[0] in ("list", "set")
        and isinstance(cty[1], list)
        and cty[1][0] == "object"
    )


class BlockChecker:
    """Checks one body against one schema block, recursively."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def _owner(self, path: str) -> str:
        return f'block "{path.rstrip(".")}" of {self.type_name}' if path else self.type_name

    def body(
        self, body: BodyRule, schema: Mapping[str, Any], path: str, *, top: bool, line: int | None
    ) -> Iterator[Problem]:
        if schema.get("opaque"):
            return
        attributes: Mapping[str, Any] = schema.get("attributes", {})
        block_types: Mapping[str, Any] = schema.get("block_types", {})
        seen_attrs: set[str] = set()
        static_blocks: dict[str, list[BlockRule]] = {}
        dynamic_blocks: dict[str, list[BlockRule]] = {}
        for child in body.children:
            if isinstance(child, AttributeRule):
                name = label(child.identifier)
                seen_attrs.add(name)
                if top and name in META_ARGUMENTS:
                    continue
                yield from self.attribute(child, name, schema, path)
            elif isinstance(child, BlockRule):
                name = label(child.labels[0])
                if top and name in META_BLOCKS:
                    continue
                if name == DYNAMIC and len(child.labels) > 1:
                    dynamic_blocks.setdefault(label(child.labels[1]), []).append(child)
                else:
                    static_blocks.setdefault(name, []).append(child)
        for name, rules in sorted(static_blocks.items()):
            yield from self.blocks(name, rules, schema, path, dynamic=name in dynamic_blocks)
        for name, rules in sorted(dynamic_blocks.items()):
            yield from self.dynamic(name, rules, schema, path)
        for name, attr in sorted(attributes.items()):
            given = name in seen_attrs or name in static_blocks or name in dynamic_blocks
            if attr.get("required") and not given:
                yield Problem(
                    "TRL_SCHEMA_MISSING_REQUIRED",
                    line,
                    f"{path}{name}",
                    f'{self.type_name}: required argument "{path}{name}" is missing',
                    f"set {name} = <{_describe(attr['type'])}> in this block",
                )
        for name, block_type in sorted(block_types.items()):
            needed = block_type.get("min_items", 0)
            have = len(static_blocks.get(name, []))
            if needed and have < needed and name not in dynamic_blocks:
                yield Problem(
                    "TRL_SCHEMA_MISSING_REQUIRED",
                    line,
                    f"{path}{name}",
                    f'{self.type_name}: needs at least {needed} "{path}{name}" block'
                    f"{'s' if needed > 1 else ''}, found {have}",
                    f"add a {name} {{ ... }} block",
                )

    def attribute(
        self, rule: AttributeRule, name: str, schema: Mapping[str, Any], path: str
    ) -> Iterator[Problem]:
        attributes: Mapping[str, Any] = schema.get("attributes", {})
        line = line_of(rule)
        where = f"{path}{name}"
        attr = attributes.get(name)
        if attr is None:
            if name in schema.get("block_types", {}):
                yield Problem(
                    "TRL_SCHEMA_BLOCK_AS_ARG",
                    line,
                    where,
                    f'{self.type_name}: "{where}" is a block, not an argument',
                    f"write it as a block: {name} {{ ... }} (without =)",
                )
                return
            yield Problem(
                "TRL_SCHEMA_UNKNOWN_ARG",
                line,
                where,
                f'{self.type_name}: unknown argument "{where}"',
                _unknown_fix(name, _settable(schema), self._owner(path), "argument"),
            )
            return
        literal = literal_of(rule.expression)
        if literal is not None and literal.kind == "null":
            return  # null is how Terraform spells "not set"
        if attr.get("computed") and not attr.get("optional") and not attr.get("required"):
            yield Problem(
                "TRL_SCHEMA_COMPUTED_ONLY",
                line,
                where,
                f'{self.type_name}: "{where}" is set by the provider and cannot be configured',
                f"remove {name}; read it as {self.type_name}.<name>.{name} instead",
            )
            return
        problem = mismatch(literal, attr["type"])
        if problem:
            yield Problem(
                "TRL_SCHEMA_TYPE",
                line,
                where,
                f'{self.type_name}: "{where}" {problem}',
                f"give {name} a {_describe(attr['type'])} value",
            )

    def blocks(
        self,
        name: str,
        rules: list[BlockRule],
        schema: Mapping[str, Any],
        path: str,
        *,
        dynamic: bool,
    ) -> Iterator[Problem]:
        where = f"{path}{name}"
        block_type = schema.get("block_types", {}).get(name)
        if block_type is None:
            attr = schema.get("attributes", {}).get(name)
            if attr is not None and _is_object_collection(attr["type"]):
                return  # an SDK attribute in "attributes as blocks" mode: block syntax is fine
            if attr is not None:
                yield Problem(
                    "TRL_SCHEMA_ARG_AS_BLOCK",
                    line_of(rules[0]),
                    where,
                    f'{self.type_name}: "{where}" is an argument, not a block',
                    f"write it as {name} = <{_describe(attr['type'])}>",
                )
                return
            yield Problem(
                "TRL_SCHEMA_UNKNOWN_BLOCK",
                line_of(rules[0]),
                where,
                f'{self.type_name}: unknown block "{where}"',
                _unknown_fix(
                    name, sorted(schema.get("block_types", {})), self._owner(path), "block"
                ),
            )
            return
        limit = 1 if block_type["nesting_mode"] == "single" else block_type.get("max_items", 0)
        if limit and len(rules) > limit:
            yield Problem(
                "TRL_SCHEMA_TOO_MANY_BLOCKS",
                line_of(rules[limit]),
                where,
                f'{self.type_name}: at most {limit} "{where}" block'
                f"{'s' if limit > 1 else ''} allowed, found {len(rules)}"
                f"{' plus dynamic ones' if dynamic else ''}",
                f"merge the {name} blocks into {limit}",
            )
        for rule in rules:
            yield from self.body(
                rule.body, block_type["block"], f"{where}.", top=False, line=line_of(rule)
            )

    def dynamic(
        self, name: str, rules: list[BlockRule], schema: Mapping[str, Any], path: str
    ) -> Iterator[Problem]:
        block_type = schema.get("block_types", {}).get(name)
        if block_type is None:
            # Unknown name, or an argument: report it the way a literal block would be.
            yield from self.blocks(name, rules[:1], schema, path, dynamic=False)
            return
        for rule in rules:
            for child in rule.body.children:
                if isinstance(child, BlockRule) and label(child.labels[0]) == "content":
                    yield from self.body(
                        child.body,
                        block_type["block"],
                        f"{path}{name}.",
                        top=False,
                        line=line_of(child),
                    )
                elif isinstance(child, AttributeRule) and label(child.identifier) not in (
                    _DYNAMIC_KEYS
                ):
                    yield Problem(
                        "TRL_SCHEMA_UNKNOWN_ARG",
                        line_of(child),
                        f"{path}{name}",
                        f'{self.type_name}: dynamic "{name}" takes for_each, iterator, labels '
                        f"and content, not {label(child.identifier)}",
                        "move it into the content block",
                    )


def _describe(cty: Any) -> str:
    if isinstance(cty, str):
        return cty
    if cty[0] == "object":
        return "object"
    return f"{cty[0]}({_describe(cty[1])})"


def check_type_block(
    kind: str, type_name: str, body: BodyRule, line: int | None, schema: Mapping[str, Any]
) -> Iterator[Problem]:
    """Problems of one ``resource``/``data`` block of ``type_name`` (``kind`` picks the map)."""
    types: Mapping[str, Any] = schema[
        "resource_schemas" if kind == "resource" else "data_source_schemas"
    ]
    type_schema = types.get(type_name)
    if type_schema is None:
        hint = did_you_mean(type_name, sorted(types))
        what = "resource type" if kind == "resource" else "data source"
        yield Problem(
            "TRL_SCHEMA_UNKNOWN_TYPE",
            line,
            "",
            f'unknown {what} "{type_name}" in hashicorp/aws {schema.get("provider_version", "")}',
            f"{hint}rename it" if hint else f"use a {what} the AWS provider defines",
        )
        return
    yield from BlockChecker(type_name).body(body, type_schema["block"], "", top=True, line=line)
