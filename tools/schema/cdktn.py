"""Build the compact provider schema from a cdktn provider package (jsii assembly + generated JS).

Where each fact comes from:

* jsii assembly: which classes are resources (base ``cdktn.TerraformResource``) and data
  sources (``cdktn.TerraformDataSource``); for each, the config interface and, recursively,
  the struct interface of every nested block. Each property's docs link to the registry with
  the Terraform name as anchor (``.../docs/resources/s3_bucket_versioning#bucket``); blocks
  are documented as ``"<name> block."``; ``optional`` marks optional properties (so the rest
  are required); a property typed as one struct (not an array) is a block of at most one.
* generated JS (:mod:`tools.schema.js_classes`): the Terraform type name
  (``tfResourceType``), the computed flag of every attribute, the attributes that are
  computed only (not settable, so absent from the config interface) with their types, and
  whether a collection or block is a list, a set or a single nested object.

Not recoverable here: the schema version of each type, ``sensitive``, ``min_items`` beyond
"required means at least one", and ``max_items`` other than one. :mod:`.crosscheck` fills
these from the exact 6.47.0 schema where the type exists there.

Raises :class:`SchemaBuildError` when the two halves disagree on a name, so a changed
generator fails loudly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tools.schema.js_classes import CtyType, HclEntry, JsClass, JsField, JsModule, getter_type

JsiiType = Mapping[str, Any]
Block = dict[str, Any]

RESOURCE_BASE = "cdktn.TerraformResource"
DATA_SOURCE_BASE = "cdktn.TerraformDataSource"
_IRESOLVABLE = "cdktn.IResolvable"
_ANCHOR = re.compile(
    r"https://registry\.terraform\.io/providers/hashicorp/aws/([\w.]+)/docs/"
    r"(resources|data-sources|ephemeral-resources)/(\w+)#(\w+) "
)
_PRIMITIVES = {"string": "string", "number": "number", "boolean": "bool", "any": "dynamic"}
_NESTING = {"struct": "single", "list": "list", "set": "set", "map": "map"}


class SchemaBuildError(ValueError):
    """The assembly and the generated JavaScript do not fit together."""


@dataclass
class CdktnSchema:
    """What the package yields: provider version from the doc links and the two type maps."""

    provider_version: str
    resource_schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    data_source_schemas: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_compact(self) -> dict[str, Any]:
        """The compact layout documented in :mod:`generator.schema`."""
        return {
            "provider_version": self.provider_version,
            "resource_schemas": self.resource_schemas,
            "data_source_schemas": self.data_source_schemas,
        }


def module_dir(jsii_type: JsiiType) -> str:
    """``src/s3-bucket-versioning/index.ts`` → ``s3-bucket-versioning``: where its JS lives."""
    filename: str = jsii_type["locationInModule"]["filename"]
    parts = filename.split("/")
    if len(parts) < 3 or parts[0] != "src":
        raise SchemaBuildError(f"{jsii_type['fqn']}: unexpected source file {filename!r}")
    return parts[1]


def terraform_anchor(prop: JsiiType) -> tuple[str, str]:
    """The provider version and Terraform argument name a property's doc link names."""
    docs = prop.get("docs", {})
    text = f"{docs.get('summary', '')} {docs.get('remarks', '')}"
    match = _ANCHOR.search(text)
    if match is None:
        raise SchemaBuildError(f"property {prop['name']!r} has no registry anchor in its docs")
    return match.group(1), match.group(4)


def is_block_property(prop: JsiiType) -> bool:
    """Blocks are documented as ``"<name> block."``."""
    return bool(prop.get("docs", {}).get("summary", "").endswith(" block."))


def _unresolvable(type_ref: JsiiType) -> JsiiType:
    """Drop ``cdktn.IResolvable`` from a union (``boolean | IResolvable`` → ``boolean``)."""
    union = type_ref.get("union")
    if union is None:
        return type_ref
    members: list[JsiiType] = [t for t in union["types"] if t.get("fqn") != _IRESOLVABLE]
    if len(members) != 1:
        raise SchemaBuildError(f"cannot reduce union {union!r}")
    return members[0]


def block_struct(type_ref: JsiiType) -> tuple[str, bool]:
    """The struct fqn of a block property and whether it holds a single struct (max one)."""
    ref = _unresolvable(type_ref)
    if "fqn" in ref:
        return str(ref["fqn"]), True
    collection = ref.get("collection")
    if collection and "fqn" in collection["elementtype"]:
        return str(collection["elementtype"]["fqn"]), False
    raise SchemaBuildError(f"block property of unexpected type {type_ref!r}")


def _is_opaque(type_ref: JsiiType) -> bool:
    """Blocks too deep for the generator are typed ``any``: their contents are not known."""
    return _unresolvable(type_ref).get("primitive") == "any"


class _Builder:
    """Walks one module's jsii structs together with its JS classes."""

    def __init__(self, types: Mapping[str, JsiiType], js: JsModule, where: str) -> None:
        self.types = types
        self.js = js
        self.where = where
        self.open_structs: set[str] = set()  # structs being built: a repeat is a cycle

    def value_type(self, type_ref: JsiiType, container: str | None = None) -> CtyType:
        """Cty type of a settable attribute; ``container`` (``list|set|map``) is from the JS.

        Struct-typed attributes (nested attributes of framework resources, and SDK
        attributes in "attributes as blocks" mode) become objects of the struct's fields.
        """
        ref = _unresolvable(type_ref)
        if "primitive" in ref:
            return _PRIMITIVES[ref["primitive"]]
        if "fqn" in ref:
            return self.struct_object(str(ref["fqn"]))
        collection = ref.get("collection")
        if collection is None:
            raise SchemaBuildError(f"{self.where}: attribute of unexpected type {type_ref!r}")
        element = self.value_type(collection["elementtype"])
        if collection["kind"] == "map":
            return ["map", element]
        return ["set" if container == "set" else "list", element]

    def struct_object(self, fqn: str) -> CtyType:
        """The object type of a struct: every attribute and nested block as a field."""
        if fqn in self.open_structs:
            return "dynamic"  # a struct that contains itself: its depth is not knowable here
        struct = self.types.get(fqn)
        if struct is None:
            raise SchemaBuildError(f"{self.where}: struct {fqn!r} not in the assembly")
        name = str(struct["name"])
        self.open_structs.add(fqn)
        block = self.block(
            struct, self.js.classes.get(f"{name}OutputReference"), self.js.struct_hcl(name)
        )
        self.open_structs.discard(fqn)
        return _block_object(block)

    def object_type(self, class_name: str) -> CtyType:
        cls = self.js.classes.get(class_name)
        if cls is None:
            raise SchemaBuildError(f"{self.where}: no generated class {class_name!r}")
        return ["object", {name: self.field_type(f) for name, f in sorted(cls.fields.items())}]

    def field_type(self, js_field: JsField) -> CtyType:
        """Type of an attribute known only from the JS (computed-only attributes)."""
        if js_field.getter is not None:
            return getter_type(js_field.getter)
        if js_field.ref is None:
            raise SchemaBuildError(f"{self.where}: {js_field.name!r} has neither getter nor class")
        if js_field.ref_kind == "object":
            return self.object_type(js_field.ref)
        container = self.js.classes.get(js_field.ref)
        if container is None or container.element is None:
            raise SchemaBuildError(f"{self.where}: no element class for {js_field.ref!r}")
        inner = self.object_type(container.element)
        if js_field.ref_kind == "map":
            return ["map", inner]
        return ["set" if js_field.wraps_set else "list", inner]

    def block(
        self, struct: JsiiType, fields_from: JsClass | None, hcl: Mapping[str, HclEntry]
    ) -> Block:
        attributes: dict[str, Any] = {}
        block_types: dict[str, Any] = {}
        js_fields = fields_from.fields if fields_from is not None else {}
        for prop in struct.get("properties", []):
            _, name = terraform_anchor(prop)
            entry = hcl.get(name)
            flags = js_fields.get(name)
            if entry is None or flags is None:
                raise SchemaBuildError(f"{self.where}: {name!r} missing from the generated JS")
            if flags.required == bool(prop.get("optional")):
                raise SchemaBuildError(f"{self.where}: {name!r} optional in jsii, not in JS")
            if is_block_property(prop) and _is_opaque(prop["type"]):
                block_types[name] = {"nesting_mode": "list", "block": {"opaque": True}}
                continue
            if is_block_property(prop):
                if not entry.is_block:
                    raise SchemaBuildError(f"{self.where}: {name!r} is a block in docs only")
                block_types[name] = self.block_type(prop, name, entry)
                continue
            attribute: dict[str, Any] = {"type": self.value_type(prop["type"], entry.kind)}
            if prop.get("optional"):
                attribute["optional"] = True
                if flags.computed:
                    attribute["computed"] = True
            else:
                attribute["required"] = True
            attributes[name] = attribute
        for name, js_field in js_fields.items():
            if name in attributes or name in block_types:
                continue
            if js_field.optional or js_field.required or not js_field.computed:
                raise SchemaBuildError(f"{self.where}: settable {name!r} missing from the config")
            attributes[name] = {"type": self.field_type(js_field), "computed": True}
        result: Block = {}
        if attributes:
            result["attributes"] = dict(sorted(attributes.items()))
        if block_types:
            result["block_types"] = dict(sorted(block_types.items()))
        return result

    def block_type(self, prop: JsiiType, name: str, entry: HclEntry) -> dict[str, Any]:
        fqn, single = block_struct(prop["type"])
        struct = self.types.get(fqn)
        if struct is None:
            raise SchemaBuildError(f"{self.where}: struct {fqn!r} not in the assembly")
        struct_name = str(struct["name"])
        if fqn in self.open_structs:
            # The generator reuses one struct for a recursive block (wafv2 statements): the
            # nesting depth the provider allows is not in the assembly, so the contents are
            # left unchecked rather than guessed.
            nested: Block = {"opaque": True}
        else:
            self.open_structs.add(fqn)
            nested = self.block(
                struct,
                self.js.classes.get(f"{struct_name}OutputReference"),
                self.js.struct_hcl(struct_name),
            )
            self.open_structs.discard(fqn)
        nesting = _NESTING[entry.kind]
        block_type: dict[str, Any] = {"nesting_mode": nesting, "block": nested}
        if nesting in ("list", "set"):
            if not prop.get("optional"):
                block_type["min_items"] = 1
            if single:
                block_type["max_items"] = 1
        return block_type


def _block_object(block: Block) -> CtyType:
    """A block as an object type (for struct-typed attributes); unknown contents → dynamic."""
    if block.get("opaque"):
        return "dynamic"
    fields = {n: a["type"] for n, a in block.get("attributes", {}).items()}
    for n, bt in block.get("block_types", {}).items():
        inner = _block_object(bt["block"])
        mode = bt["nesting_mode"]
        fields[n] = inner if mode == "single" else [mode, inner]
    return ["object", dict(sorted(fields.items()))]


def build_type(
    types: Mapping[str, JsiiType], resource_class: JsiiType, js: JsModule
) -> tuple[str, str, dict[str, Any]]:
    """Schema of one resource or data source class: (provider version, tf type, schema)."""
    where = str(resource_class["fqn"])
    cls = js.classes.get(str(resource_class["name"]))
    if cls is None or cls.tf_type is None:
        raise SchemaBuildError(f"{where}: no tfResourceType in the generated JS")
    params = resource_class["initializer"]["parameters"]
    config_fqn = next(p["type"]["fqn"] for p in params if p["name"] == "config")
    config = types[config_fqn]
    props = config.get("properties", [])
    version = terraform_anchor(props[0])[0] if props else ""
    block = _Builder(types, js, where).block(config, cls, cls.hcl)
    return version, cls.tf_type, {"version": 0, "block": block}


def build_schema(types: Mapping[str, JsiiType], modules: Mapping[str, JsModule]) -> CdktnSchema:
    """Every resource and data source of the assembly, in the compact layout.

    ``modules`` maps a module directory (``s3-bucket-versioning``) to its parsed JS.
    Raises :class:`SchemaBuildError` if a class's JS is missing or types collide.
    """
    schema = CdktnSchema(provider_version="")
    versions: set[str] = set()
    for fqn in sorted(types):
        jsii_type = types[fqn]
        base = jsii_type.get("base")
        if jsii_type.get("kind") != "class" or base not in (RESOURCE_BASE, DATA_SOURCE_BASE):
            continue
        directory = module_dir(jsii_type)
        js = modules.get(directory)
        if js is None:
            raise SchemaBuildError(f"{fqn}: no generated JS for module {directory!r}")
        version, tf_type, type_schema = build_type(types, jsii_type, js)
        if version:
            versions.add(version)
        target = schema.resource_schemas if base == RESOURCE_BASE else schema.data_source_schemas
        if tf_type in target:
            raise SchemaBuildError(f"{fqn}: {tf_type} defined twice")
        target[tf_type] = type_schema
    if len(versions) > 1:
        raise SchemaBuildError(f"doc links name several provider versions: {sorted(versions)}")
    schema.provider_version = versions.pop() if versions else ""
    return schema
