"""Literal values in parsed HCL and whether they fit a provider attribute's type.

Only literals are judged: ``"x"``, ``5``, ``-1.5``, ``true``, ``null``, ``[...]`` and
``{...}`` whose parts are literals. Anything else (``var.x``, ``"${...}"``, function calls,
conditionals, splats) has a type only Terraform can know, and is left alone. The rules follow
Terraform's own conversions, so nothing valid is flagged: a string that spells a number
(``"30"``) converts to a number, ``"true"`` to a bool, numbers and bools to strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hcl2.rules.abstract import LarkToken
from hcl2.rules.containers import ObjectRule, TupleRule
from hcl2.rules.expressions import ExprTermRule, UnaryOpRule
from hcl2.rules.literal_rules import FloatLitRule, IntLitRule, KeywordRule, LiteralValueRule
from hcl2.rules.strings import HeredocTemplateRule, StringPartRule, StringRule


@dataclass(frozen=True)
class Literal:
    """A literal HCL value: ``kind`` is string, number, bool, null, tuple or object."""

    kind: str
    value: Any = None  # str | float | bool | list[Literal | None] | dict[str, Literal | None]

    def describe(self) -> str:
        """How a message shows the value found."""
        if self.kind == "string":
            text = str(self.value)
            return f'string "{text[:40]}{"..." if len(text) > 40 else ""}"'
        if self.kind == "number":
            return f"number {self.value}"
        if self.kind == "bool":
            return f"bool {str(self.value).lower()}"
        if self.kind == "tuple":
            return "a list [...]"
        if self.kind == "object":
            return "an object {...}"
        return "null"


def _unwrap(expr: Any) -> Any:
    while isinstance(expr, ExprTermRule):
        expr = expr.expression
    return expr


def _literal_string(rule: StringRule) -> Literal | None:
    parts = rule.string_parts
    if not all(isinstance(p, StringPartRule) and isinstance(p.content, LarkToken) for p in parts):
        return None  # an interpolation or a template directive
    text = str(rule.serialize())
    return Literal("string", text[1:-1] if text.startswith('"') else text)


def literal_of(expr: Any) -> Literal | None:
    """The literal an expression rule spells, or ``None`` when it is not a literal."""
    expr = _unwrap(expr)
    if isinstance(expr, StringRule):
        return _literal_string(expr)
    if isinstance(expr, IntLitRule | FloatLitRule):
        return Literal("number", float(expr.serialize()))
    if isinstance(expr, UnaryOpRule):
        value = expr.serialize()
        return Literal("number", float(value)) if isinstance(value, int | float) else None
    if isinstance(expr, LiteralValueRule | KeywordRule):
        keyword = str(expr.token.value)
        if keyword in ("true", "false"):
            return Literal("bool", keyword == "true")
        return Literal("null") if keyword == "null" else None
    if isinstance(expr, TupleRule):
        return Literal("tuple", [literal_of(e) for e in expr.elements])
    if isinstance(expr, ObjectRule):
        fields: dict[str, Literal | None] = {}
        for element in expr.elements:
            key = str(element.key.serialize()).strip('"')
            fields[key] = literal_of(element.expression)
        return Literal("object", fields)
    if isinstance(expr, HeredocTemplateRule):
        text = str(expr.serialize())
        return None if "${" in text or "%{" in text else Literal("string", text)
    return None


def _type_name(cty: Any) -> str:
    if isinstance(cty, str):
        return cty
    if cty[0] == "object":
        return "object"
    return f"{cty[0]}({_type_name(cty[1])})"


def _number_like(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def mismatch(literal: Literal | None, cty: Any, where: str = "") -> str | None:
    """Why ``literal`` cannot be a value of type ``cty``, or ``None`` when it fits.

    ``where`` locates a nested element (``[2]``, ``.key``) in the explanation.
    """
    if literal is None or literal.kind == "null" or cty == "dynamic":
        return None
    expected = _type_name(cty)
    found = f"{where + ' is ' if where else ''}{literal.describe()}"
    if cty == "string":
        ok = literal.kind in ("string", "number", "bool")
    elif cty == "number":
        ok = literal.kind == "number" or (
            literal.kind == "string" and _number_like(str(literal.value))
        )
    elif cty == "bool":
        ok = literal.kind == "bool" or (
            literal.kind == "string" and literal.value in ("true", "false")
        )
    elif isinstance(cty, list) and cty[0] in ("list", "set"):
        if literal.kind != "tuple":
            return f"expected {expected}, found {found}"
        for index, element in enumerate(literal.value):
            inner = mismatch(element, cty[1], f"{where}[{index}]")
            if inner:
                return inner
        return None
    elif isinstance(cty, list) and cty[0] in ("map", "object"):
        if literal.kind != "object":
            return f"expected {expected}, found {found}"
        for key, value in literal.value.items():
            field_type = cty[1] if cty[0] == "map" else cty[1].get(key, "dynamic")
            inner = mismatch(value, field_type, f"{where}.{key}")
            if inner:
                return inner
        return None
    else:
        return None  # tuple types and anything exotic: not judged
    return None if ok else f"expected {expected}, found {found}"
