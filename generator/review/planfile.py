"""Read a ``terraform show -json`` plan one resource change at a time.

A plan of a large estate is hundreds of megabytes, most of it ``planned_values``,
``prior_state`` and ``configuration`` repeating what ``resource_changes`` already says.
:func:`scan_plan` walks the top-level object itself, hands each resource change to a
callback as soon as it is decoded and lets it go, and keeps nothing else but the few
fields the review needs (format and Terraform versions, and the references of policy
attributes in ``configuration``). Decoding is the standard library's C scanner, one value
at a time, so the whole document never exists as one Python object.

Everything that makes a file unusable is a :class:`~generator.errors.UserError` naming
the file: not JSON, truncated, not a plan (a state file, say), an unsupported
``format_version``, or no ``terraform_version`` (checkov would then scan nothing and
say nothing, so the review refuses instead).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import Diagnostic, UserError

SUPPORTED_MAJOR = "1"
"""Terraform promises compatible additions within a major ``format_version``."""

_WS = re.compile(r"[ \t\n\r]*")
_INSTANCE_KEY = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|\d+)\]')
_DECODER = json.JSONDecoder()

ChangeCallback = Callable[[dict[str, Any]], None]


@dataclass
class PlanMeta:
    """What the review keeps of a plan besides its resource changes.

    ``references`` maps ``(module path without instance keys, "type.name")`` to the
    references of each configured expression of that resource (an empty tuple for a
    constant, no entry for an attribute left to the provider); it is filled only for the
    resource types ``wanted_references`` names, to keep it small.
    """

    format_version: str | None = None
    terraform_version: str | None = None
    has_changes_key: bool = False
    seen_keys: set[str] = field(default_factory=set)
    references: dict[tuple[str, str], dict[str, tuple[str, ...]]] = field(default_factory=dict)


def module_path(module_address: str | None) -> str:
    """``module.a["x"].module.b[0]`` → ``module.a.module.b``: the configuration's view."""
    return _INSTANCE_KEY.sub("", module_address or "")


class _Cursor:
    """Position in the document text, with errors that name the file and place."""

    def __init__(self, text: str, display: str) -> None:
        self.text = text
        self.display = display
        self.pos = 0

    def skip_ws(self) -> None:
        match = _WS.match(self.text, self.pos)
        if match is not None:  # always: the pattern matches the empty string
            self.pos = match.end()

    def peek(self) -> str:
        self.skip_ws()
        if self.pos >= len(self.text):
            raise self.truncated()
        return self.text[self.pos]

    def expect(self, char: str) -> None:
        found = self.peek()
        if found != char:
            raise self.invalid(f"expected {char!r} but found {found!r}")
        self.pos += 1

    def value(self) -> Any:
        self.skip_ws()
        try:
            value, self.pos = _DECODER.raw_decode(self.text, self.pos)
        except json.JSONDecodeError as err:
            raise self.decode_error(err) from None
        return value

    def key(self) -> str:
        if self.peek() != '"':
            raise self.invalid(f"expected a key but found {self.text[self.pos]!r}")
        key = self.value()
        self.expect(":")
        return str(key)  # a JSON value that starts with '"' is a string

    def where(self, pos: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, pos) + 1
        column = pos - (self.text.rfind("\n", 0, pos) + 1) + 1
        return line, column

    def decode_error(self, err: json.JSONDecodeError) -> UserError:
        if err.msg.startswith("Unterminated string") or err.pos >= len(self.text.rstrip()) - 1:
            return self.truncated()
        return self.invalid(err.msg, err.pos)

    def invalid(self, message: str, pos: int | None = None) -> UserError:
        line, column = self.where(self.pos if pos is None else pos)
        return UserError(
            [
                Diagnostic(
                    file=self.display,
                    line=line,
                    column=column,
                    path="",
                    code="invalid-json",
                    message=f"is not valid JSON: {message}",
                    hint="pass the output of `terraform show -json PLANFILE`, unmodified",
                )
            ]
        )

    def truncated(self) -> UserError:
        line, column = self.where(len(self.text))
        return UserError(
            [
                Diagnostic(
                    file=self.display,
                    line=line,
                    column=column,
                    path="",
                    code="truncated",
                    message="ends in the middle of the JSON document: the file is truncated",
                    hint="re-create it with `terraform show -json PLANFILE > plan.json` and check "
                    "that the upload or download of the artifact completed",
                )
            ]
        )


def _plan_error(
    display: str, message: str, hint: str, path: str = "", value: str | None = None
) -> UserError:
    return UserError(
        [
            Diagnostic(
                file=display,
                line=None,
                column=None,
                path=path,
                message=message,
                code="not-a-plan",
                hint=hint,
                value=value,
            )
        ]
    )


def _read_text(path: Path, display: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _plan_error(display, "does not exist", "pass the path of a plan JSON file") from None
    except IsADirectoryError:
        raise _plan_error(
            display, "is a directory, not a plan JSON file", "pass the plan.json inside it"
        ) from None
    except UnicodeDecodeError as err:
        raise _plan_error(
            display,
            f"is not UTF-8 text (byte {err.start}): a binary plan file?",
            "convert the binary plan with `terraform show -json PLANFILE > plan.json`",
        ) from None


def _index_references(meta: PlanMeta, configuration: Any, wanted: frozenset[str]) -> None:
    """Keep the expression references of the ``wanted`` resource types, per module path."""
    if not isinstance(configuration, dict):
        return
    stack: list[tuple[str, Any]] = [("", configuration.get("root_module"))]
    while stack:
        prefix, module = stack.pop()
        if not isinstance(module, dict):
            continue
        for resource in module.get("resources") or ():
            if not isinstance(resource, dict) or resource.get("type") not in wanted:
                continue
            refs: dict[str, tuple[str, ...]] = {}
            for name, expression in (resource.get("expressions") or {}).items():
                if isinstance(expression, dict):
                    refs[name] = tuple(str(r) for r in expression.get("references") or ())
            mode_prefix = "data." if resource.get("mode") == "data" else ""
            address = f"{mode_prefix}{resource.get('type')}.{resource.get('name')}"
            meta.references[(prefix, address)] = refs
        for call_name, call in (module.get("module_calls") or {}).items():
            if isinstance(call, dict):
                child = f"{prefix}.module.{call_name}" if prefix else f"module.{call_name}"
                stack.append((child, call.get("module")))


def _changes(cursor: _Cursor, on_change: ChangeCallback) -> None:
    cursor.expect("[")
    if cursor.peek() == "]":
        cursor.pos += 1
        return
    while True:
        item = cursor.value()
        if not isinstance(item, dict):
            raise cursor.invalid("each entry of resource_changes must be an object")
        on_change(item)
        separator = cursor.peek()
        cursor.pos += 1
        if separator == "]":
            return
        if separator != ",":
            raise cursor.invalid(f"expected ',' or ']' but found {separator!r}", cursor.pos - 1)


def scan_plan(
    path: Path,
    display: str,
    on_change: ChangeCallback,
    wanted_references: frozenset[str] = frozenset(),
) -> PlanMeta:
    """Decode ``path`` and call ``on_change`` with each entry of ``resource_changes``.

    ``display`` is how error messages name the file. Raises :class:`UserError` for every
    way the file can fail to be a supported plan (see the module docstring). ``on_change``
    may itself raise :class:`UserError` for a malformed change.
    """
    cursor = _Cursor(_read_text(path, display), display)
    meta = PlanMeta()
    if not cursor.text.strip():
        raise _plan_error(
            display, "is empty, not a plan", "pass the output of `terraform show -json PLANFILE`"
        )
    if cursor.peek() != "{":
        cursor.value()  # a JSON error if it is not JSON at all
        raise _plan_error(
            display,
            "is JSON but not an object, so not a Terraform plan",
            "pass the output of `terraform show -json PLANFILE`",
        )
    cursor.pos += 1
    if cursor.peek() == "}":
        cursor.pos += 1
    else:
        while True:
            key = cursor.key()
            meta.seen_keys.add(key)
            if key == "resource_changes":
                meta.has_changes_key = True
                _changes(cursor, on_change)
            else:
                value = cursor.value()
                if key == "format_version":
                    meta.format_version = value if isinstance(value, str) else repr(value)
                    _check_format_version(meta.format_version, display)
                elif key == "terraform_version" and isinstance(value, str):
                    meta.terraform_version = value
                elif key == "configuration":
                    _index_references(meta, value, wanted_references)
                del value
            separator = cursor.peek()
            cursor.pos += 1
            if separator == "}":
                break
            if separator != ",":
                raise cursor.invalid(
                    f"expected ',' or '}}' but found {separator!r}", cursor.pos - 1
                )
    cursor.skip_ws()
    if cursor.pos != len(cursor.text):
        raise cursor.invalid("extra data after the end of the plan document")
    _check_is_plan(meta, display)
    return meta


def _check_format_version(version: str, display: str) -> None:
    if version.split(".", 1)[0] != SUPPORTED_MAJOR:
        raise _plan_error(
            display,
            f"is {version!r}, which this review does not read (it reads {SUPPORTED_MAJOR}.x)",
            path="format_version",
            value=version,
            hint=f"trellis reads plan JSON format {SUPPORTED_MAJOR}.x (Terraform 1.x); "
            "produce the plan with Terraform 1.x",
        )


def _check_is_plan(meta: PlanMeta, display: str) -> None:
    if meta.format_version is None:
        raise _plan_error(
            display,
            "has no format_version, so it is not a Terraform plan",
            "pass the output of `terraform show -json PLANFILE`",
        )
    if "planned_values" not in meta.seen_keys and not meta.has_changes_key:
        what = "a state file" if "values" in meta.seen_keys else "not a plan"
        raise _plan_error(
            display,
            f"is {what}: it has no planned_values or resource_changes",
            "pass the JSON of a saved plan: `terraform plan -out=tfplan && "
            "terraform show -json tfplan > plan.json`",
        )
    if not meta.terraform_version:
        raise _plan_error(
            display,
            "is missing",
            path="terraform_version",
            hint="checkov scans a plan without terraform_version as nothing and reports "
            "success; use the unmodified output of `terraform show -json PLANFILE`",
        )
