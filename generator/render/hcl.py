"""Safe HCL literals: the only way a value from a blueprint reaches a template.

Templates never concatenate user text into HCL. Every value passes through
:func:`hcl`, which emits a literal that Terraform reads back as exactly that value:
strings are quoted and escaped (backslash, quote, control characters, and the template
sequences ``${`` → ``$${`` and ``%{`` → ``%%{``; an unclosed one as ``\u0024{`` or
``\u0025{``, which Terraform reads identically and python-hcl2 can parse), numbers must
be finite, and lists and maps are emitted recursively. Anything else is a bug and
raises ``TypeError``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f\u2028\u2029]|\$\{|%\{')


def _escape(match: re.Match[str]) -> str:
    text = match.group(0)
    if text in ("${", "%{"):
        if "}" in match.string[match.end() :]:
            return text[0] + text  # the HCL template escape: $${ and %%{
        # Unclosed: python-hcl2 (8.1) only accepts $${ and %%{ when a "}" follows, so
        # write the sign as a unicode escape, which Terraform also reads as literal text.
        return f"\\u{ord(text[0]):04x}{{"
    return _ESCAPES.get(text, f"\\u{ord(text):04x}")


def hcl_string(value: str) -> str:
    """A quoted HCL string literal that evaluates to exactly ``value``."""
    return '"' + _NEEDS_ESCAPE.sub(_escape, value) + '"'


def hcl_key(key: str) -> str:
    """An object key: bare when it is an identifier, quoted otherwise."""
    return key if _IDENTIFIER.match(key) else hcl_string(key)


def hcl(value: Any, indent: int = 0) -> str:
    """The HCL literal for ``value`` (str, bool, int, float, None, list, tuple, mapping).

    Mappings with more than one key are written one attribute per line, indented by
    ``indent`` spaces plus two; ``terraform fmt`` then aligns the ``=`` signs.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            msg = f"{value!r} has no HCL literal"
            raise TypeError(msg)
        return repr(value)
    if isinstance(value, str):
        return hcl_string(value)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        pad = " " * (indent + 2)
        entries = [(hcl_key(str(k)), hcl(v, indent + 2)) for k, v in value.items()]
        return (
            "{\n"
            + "\n".join(f"{pad}{line}" for line in _aligned(entries))
            + "\n"
            + (" " * indent + "}")
        )
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        return "[" + ", ".join(hcl(item, indent) for item in value) + "]"
    msg = f"{type(value).__name__} has no HCL literal"
    raise TypeError(msg)


def _aligned(entries: list[tuple[str, str]]) -> list[str]:
    """``key = value`` lines with the ``=`` aligned as ``terraform fmt`` aligns them:
    within each run of single-line values; a multi-line value stands alone."""
    lines: list[str] = []
    group: list[tuple[str, str]] = []

    def flush() -> None:
        width = max((len(k) for k, _ in group), default=0)
        lines.extend(f"{k.ljust(width)} = {v}" for k, v in group)
        group.clear()

    for key, text in entries:
        if "\n" in text:
            flush()
            lines.append(f"{key} = {text}")
        else:
            group.append((key, text))
    flush()
    return lines


def hcl_resource(value: str, references: Mapping[str, str]) -> str:
    """A policy resource: an HCL reference when ``value`` names a resource created in the
    same stack (a KMS key whose id is known only after apply), a literal otherwise."""
    return references.get(value) or hcl_string(value)
