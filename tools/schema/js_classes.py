"""Facts read from the JavaScript that the CDK Terrain generator emitted for each provider type.

The jsii assembly describes what a user may *set*; the generated JavaScript knows more. For
every attribute of a resource, data source or nested block, the generator writes a comment
``// <terraform_name> - computed: <bool>, optional: <bool>, required: <bool>`` followed by
either a getter (``return this.getStringAttribute('arn');``) or a field holding a nested
object (``_rule = new FooRuleList(this, "rule", true);`` where ``true`` means the list wraps
a set). Its HCL synthesis (``synthesizeHclAttributes`` and the ``fooToHclTerraform``
functions) tells for each settable name whether it is a block and whether it is a
``simple`` value, a ``list``, a ``set``, a ``map`` or a single ``struct``. The resource class
holds ``static tfResourceType = "aws_..."``.

This module reads those facts with regular expressions over the generator's very regular
output. It raises :class:`JsShapeError` when a getter has a shape it does not know, so a new
generator release fails the extraction loudly instead of producing a wrong schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

CtyType = Any  # "string" | ["list", CtyType] | ["object", {name: CtyType}] ...


class JsShapeError(ValueError):
    """The generated JavaScript has a shape this reader does not understand."""


@dataclass(frozen=True)
class JsField:
    """One attribute or nested object of a generated class, as its flag comment states it.

    ``getter`` is the normalised return expression of a plain attribute's getter (the
    attribute name replaced by ``N``); ``ref`` names the class a nested object is built
    from, with ``wraps_set`` telling a set from a list.
    """

    name: str
    computed: bool
    optional: bool
    required: bool
    getter: str | None = None
    ref: str | None = None
    ref_kind: str | None = None  # "list" | "map" | "object" | "string_map" ...
    wraps_set: bool = False


@dataclass(frozen=True)
class HclEntry:
    """How the HCL synthesis writes one settable name: block or not, and its container kind."""

    is_block: bool
    kind: str  # simple | list | set | map | struct
    storage: str


@dataclass
class JsClass:
    """What one generated class says: its base, Terraform type, fields and HCL synthesis."""

    name: str
    base: str
    tf_type: str | None = None
    fields: dict[str, JsField] = field(default_factory=dict)
    hcl: dict[str, HclEntry] = field(default_factory=dict)
    element: str | None = None  # for ComplexList / ComplexMap: the element class


@dataclass
class JsModule:
    """All classes and ``<struct>ToHclTerraform`` functions of one generated module."""

    classes: dict[str, JsClass] = field(default_factory=dict)
    hcl_functions: dict[str, dict[str, HclEntry]] = field(default_factory=dict)

    def update(self, other: JsModule) -> None:
        """Add the facts of another file of the same module (split ``index-structs``)."""
        self.classes.update(other.classes)
        self.hcl_functions.update(other.hcl_functions)

    def struct_hcl(self, struct_name: str) -> dict[str, HclEntry]:
        """HCL synthesis entries of the struct named ``struct_name`` (jsii name)."""
        return self.hcl_functions.get(struct_name.lower(), {})


_CHUNK = re.compile(r"^(?:class (\w+) extends ([\w.]+) \{|function (\w+)\()", re.M)
_TF_TYPE = re.compile(r'static tfResourceType = "([\w-]+)";')
_FLAG = re.compile(
    r"^ {4}// (\w+) - computed: (true|false), optional: (true|false), required: (true|false)\n"
    r"(?=((?:.*\n){1,4}))",  # look ahead: the next comment may start within these lines
    re.M,
)
_NEW_FIELD = re.compile(r'^\s*_\w+ = new ([\w.]+)\(this, "(\w+)"(?:, (true|false))?\);')
_RETURN = re.compile(r"^\s*return (.*);\s*$", re.M)
_HCL_ENTRY = re.compile(
    r"^\s+(\w+): \{\n\s+value: [^\n]*\n\s+isBlock: (true|false),\n"
    r'\s+type: "(\w+)",\n\s+storageClassType: "(\w+)",',
    re.M,
)
_ELEMENT = re.compile(r"return new ([\w.]+)\(this\.terraformResource")
_HCL_SUFFIX = "ToHclTerraform"

_BUILTIN_MAPS = {
    "cdktn.StringMap": ["map", "string"],
    "cdktn.NumberMap": ["map", "number"],
    "cdktn.BooleanMap": ["map", "bool"],
    "cdktn.AnyMap": ["map", "dynamic"],
    "cdktn.StringMapList": ["list", ["map", "string"]],
    "cdktn.NumberMapList": ["list", ["map", "number"]],
    "cdktn.BooleanMapList": ["list", ["map", "bool"]],
    "cdktn.AnyMapList": ["list", ["map", "dynamic"]],
}

GETTER_TYPES: dict[str, CtyType] = {
    "this.getStringAttribute('N')": "string",
    "this.getNumberAttribute('N')": "number",
    "this.getBooleanAttribute('N')": "bool",
    "this.getListAttribute('N')": ["list", "string"],
    "cdktn.Fn.tolist(this.getListAttribute('N'))": ["set", "string"],
    "this.getNumberListAttribute('N')": ["list", "number"],
    "cdktn.Token.asNumberList(cdktn.Fn.tolist(this.getNumberListAttribute('N')))": [
        "set",
        "number",
    ],
    "this.getStringMapAttribute('N')": ["map", "string"],
    "this.getNumberMapAttribute('N')": ["map", "number"],
    "this.getBooleanMapAttribute('N')": ["map", "bool"],
    "this.getAnyMapAttribute('N')": ["map", "dynamic"],
    "this.interpolationForAttribute('N')": "dynamic",
    "cdktn.Token.asAny(cdktn.Fn.tolist(this.interpolationForAttribute('N')))": [
        "set",
        "dynamic",
    ],
}


def _bare(name: str) -> str:
    """``structs0_1.FooList`` → ``FooList``: classes are keyed without their module alias."""
    return name.rsplit(".", 1)[-1]


def _parse_field(match: re.Match[str]) -> JsField:
    name, computed, optional, required, following = match.groups()
    base = JsField(name, computed == "true", optional == "true", required == "true")
    lines = following.splitlines()
    new = _NEW_FIELD.match(lines[0])
    if new:
        ref, attr, wraps = new.groups()
        if attr != name:
            raise JsShapeError(f"field for {name!r} is built for {attr!r}")
        if ref in _BUILTIN_MAPS:
            return replace(base, getter=ref)
        bare = _bare(ref)
        kind = (
            "list"
            if bare.endswith("List")
            else "map"
            if bare.endswith("Map")
            else "object"
            if bare.endswith("OutputReference")
            else None
        )
        if kind is None:
            raise JsShapeError(f"unknown nested class shape {ref!r} for {name!r}")
        return replace(base, ref=bare, ref_kind=kind, wraps_set=wraps == "true")
    for line in lines:
        ret = _RETURN.match(line)
        if ret:
            getter = ret.group(1).replace(f"'{name}'", "'N'")
            return replace(base, getter=getter)
    # Write-only arguments (``*_wo``) have a flag comment and a setter but no getter.
    return base


def _hcl_entries(chunk: str) -> dict[str, HclEntry]:
    return {
        m.group(1): HclEntry(is_block=m.group(2) == "true", kind=m.group(3), storage=m.group(4))
        for m in _HCL_ENTRY.finditer(chunk)
    }


def parse_js(text: str) -> JsModule:
    """Read the classes and HCL synthesis functions of one generated ``.js`` file."""
    module = JsModule()
    starts = list(_CHUNK.finditer(text))
    for index, start in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        chunk = text[start.start() : end]
        class_name, base, function_name = start.groups()
        if function_name is not None:
            if function_name.endswith(_HCL_SUFFIX):
                struct = function_name[: -len(_HCL_SUFFIX)].lower()
                module.hcl_functions[struct] = _hcl_entries(chunk)
            continue
        cls = JsClass(name=class_name, base=base)
        tf_type = _TF_TYPE.search(chunk)
        if tf_type:
            cls.tf_type = tf_type.group(1)
        for match in _FLAG.finditer(chunk):
            parsed = _parse_field(match)
            cls.fields[parsed.name] = parsed
        if "synthesizeHclAttributes()" in chunk:
            cls.hcl = _hcl_entries(chunk.split("synthesizeHclAttributes()", 1)[1])
        element = _ELEMENT.search(chunk)
        if element and base in ("cdktn.ComplexList", "cdktn.ComplexMap"):
            cls.element = _bare(element.group(1))
        module.classes[class_name] = cls
    return module


def getter_type(getter: str) -> CtyType:
    """The cty type a plain getter (normalised return expression) reads.

    Raises :class:`JsShapeError` for a getter shape not seen in the generator's output.
    """
    if getter in _BUILTIN_MAPS:
        return _BUILTIN_MAPS[getter]
    try:
        return GETTER_TYPES[getter]
    except KeyError:
        raise JsShapeError(f"unknown getter shape {getter!r}") from None
