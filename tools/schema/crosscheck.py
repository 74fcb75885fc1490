"""Cross-check the schema recovered from cdktn against an exact schema, and merge the two.

cdktn (provider 6.69.1) decides which types, attributes and blocks exist: arguments added
since 6.47.0 are kept, arguments removed since are dropped. For what both sources have:

* ``required``/``optional``/``computed``, the attribute type and the nesting mode come from
  cdktn, whose generated JS prints them from the 6.69.1 schema; where they differ from
  6.47.0 the provider changed in between (``aws_dx_bgp_peer.bgp_asn`` became optional), and
  the difference is recorded. ``prefer_exact=True`` takes them from the exact schema instead.
* what cdktn cannot carry comes from the exact schema: ``sensitive``, ``max_items`` other
  than one, ``min_items`` above one, the type's schema version, and the contents of blocks
  cdktn could not describe (``opaque``).

Types only cdktn has come from cdktn alone; types only the exact schema has are left out
and listed. Every difference on a shared attribute or block is a :class:`Disagreement`;
:class:`Agreement` counts how much matched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from generator.schema.layout import ATTRIBUTE_KEYS

_FLAG_KEYS = tuple(k for k in ATTRIBUTE_KEYS if k not in ("type", "sensitive"))
_KINDS = (("resource_schemas", "resource"), ("data_source_schemas", "data"))


@dataclass(frozen=True, order=True)
class Disagreement:
    """One field on which cdktn and the exact schema differ, at ``kind.type.path``."""

    kind: str
    type_name: str
    path: str
    field: str
    cdktn: str
    exact: str


@dataclass
class Agreement:
    """How much of the shared part agrees; figures for the header and the report."""

    types_both: int = 0
    types_cdktn_only: int = 0
    types_exact_only: int = 0
    types_identical: int = 0
    attributes_compared: int = 0
    attributes_agreeing: int = 0
    attributes_cdktn_only: int = 0
    attributes_exact_only: int = 0
    blocks_compared: int = 0
    blocks_agreeing: int = 0
    blocks_cdktn_only: int = 0
    blocks_exact_only: int = 0
    opaque_blocks_filled: int = 0
    exact_only_types: list[str] = field(default_factory=list)

    def to_record(self) -> dict[str, Any]:
        """JSON-ready counts, type lists sorted."""
        record = asdict(self)
        record["exact_only_types"] = sorted(self.exact_only_types)
        return record


class _Merger:
    def __init__(self, prefer_exact: bool) -> None:
        self.prefer_exact = prefer_exact
        self.agreement = Agreement()
        self.disagreements: list[Disagreement] = []
        self._type_clean = True

    def _differ(self, where: tuple[str, str, str], name: str, cdktn: Any, exact: Any) -> None:
        kind, type_name, path = where
        self._type_clean = False
        self.disagreements.append(
            Disagreement(kind, type_name, path, name, _show(cdktn), _show(exact))
        )

    def block(
        self, where: tuple[str, str, str], cdktn: Mapping[str, Any], exact: Mapping[str, Any]
    ) -> dict[str, Any]:
        kind, type_name, path = where
        stats = self.agreement
        attributes: dict[str, Any] = {}
        exact_attrs = exact.get("attributes", {})
        for name, c_attr in cdktn.get("attributes", {}).items():
            e_attr = exact_attrs.get(name)
            if e_attr is None:
                stats.attributes_cdktn_only += 1
                self._type_clean = False
                attributes[name] = dict(c_attr)
                continue
            stats.attributes_compared += 1
            here = (kind, type_name, f"{path}{name}")
            agree = True
            for key in ("type", *_FLAG_KEYS):
                if c_attr.get(key, False) != e_attr.get(key, False):
                    agree = False
                    self._differ(here, key, c_attr.get(key, False), e_attr.get(key, False))
            stats.attributes_agreeing += agree
            attributes[name] = self.attribute(c_attr, e_attr)
        extra = len(set(exact_attrs) - set(attributes) - set(cdktn.get("block_types", {})))
        stats.attributes_exact_only += extra
        if extra:
            self._type_clean = False
        block_types: dict[str, Any] = {}
        exact_blocks = exact.get("block_types", {})
        for name, c_bt in cdktn.get("block_types", {}).items():
            e_bt = exact_blocks.get(name)
            if e_bt is None:
                stats.blocks_cdktn_only += 1
                self._type_clean = False
                block_types[name] = c_bt
                continue
            stats.blocks_compared += 1
            here = (kind, type_name, f"{path}{name}")
            agree = True
            for key in ("nesting_mode", "min_items", "max_items"):
                if c_bt.get(key, 0) != e_bt.get(key, 0):
                    agree = False
                    self._differ(here, key, c_bt.get(key, 0), e_bt.get(key, 0))
            stats.blocks_agreeing += agree
            merged = self.block_header(c_bt, e_bt)
            if c_bt["block"].get("opaque"):
                stats.opaque_blocks_filled += 1
                merged["block"] = e_bt["block"]
            else:
                merged["block"] = self.block(
                    (kind, type_name, f"{path}{name}."), c_bt["block"], e_bt["block"]
                )
            block_types[name] = merged
        extra_blocks = len(set(exact_blocks) - set(block_types) - set(attributes))
        stats.blocks_exact_only += extra_blocks
        if extra_blocks:
            self._type_clean = False
        result: dict[str, Any] = {}
        if attributes:
            result["attributes"] = dict(sorted(attributes.items()))
        if block_types:
            result["block_types"] = dict(sorted(block_types.items()))
        return result

    def attribute(self, c_attr: Mapping[str, Any], e_attr: Mapping[str, Any]) -> dict[str, Any]:
        """cdktn's type and flags (or the exact ones), plus ``sensitive`` from the exact."""
        merged = dict(e_attr if self.prefer_exact else c_attr)
        if e_attr.get("sensitive"):
            merged["sensitive"] = True
        return merged

    def block_header(self, c_bt: Mapping[str, Any], e_bt: Mapping[str, Any]) -> dict[str, Any]:
        """Nesting mode from cdktn (or exact); item bounds cdktn cannot know from the exact."""
        source = e_bt if self.prefer_exact else c_bt
        merged: dict[str, Any] = {"nesting_mode": source["nesting_mode"]}
        c_min, e_min = c_bt.get("min_items", 0), e_bt.get("min_items", 0)
        c_max, e_max = c_bt.get("max_items", 0), e_bt.get("max_items", 0)
        minimum = e_min if self.prefer_exact or (c_min >= 1 and e_min > 1) else c_min
        maximum = e_max if self.prefer_exact or not c_max else c_max
        if minimum:
            merged["min_items"] = minimum
        if maximum:
            merged["max_items"] = maximum
        return merged

    def type_schema(
        self, kind: str, type_name: str, cdktn: Mapping[str, Any], exact: Mapping[str, Any]
    ) -> dict[str, Any]:
        self._type_clean = True
        block = self.block((kind, type_name, ""), cdktn["block"], exact["block"])
        self.agreement.types_identical += self._type_clean
        return {"version": exact.get("version", 0), "block": block}


def _show(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


def merge(
    cdktn: Mapping[str, Any], exact: Mapping[str, Any], *, prefer_exact: bool = False
) -> tuple[dict[str, Any], Agreement, list[Disagreement]]:
    """Merge two compact schemas (see the module docstring); cdktn decides which types exist."""
    merger = _Merger(prefer_exact)
    merged: dict[str, Any] = {"provider_version": cdktn["provider_version"]}
    for key, kind in _KINDS:
        c_types = cdktn.get(key, {})
        e_types = exact.get(key, {})
        out: dict[str, Any] = {}
        for name in sorted(c_types):
            if name in e_types:
                merger.agreement.types_both += 1
                out[name] = merger.type_schema(kind, name, c_types[name], e_types[name])
            else:
                merger.agreement.types_cdktn_only += 1
                out[name] = c_types[name]
        for name in sorted(set(e_types) - set(c_types)):
            merger.agreement.types_exact_only += 1
            merger.agreement.exact_only_types.append(f"{kind}.{name}")
        merged[key] = out
    return merged, merger.agreement, sorted(merger.disagreements)
