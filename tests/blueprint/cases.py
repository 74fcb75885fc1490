"""Table-driven validation cases in the cfn-lint style: a valid base document per kind,
and cases that are a small patch plus the exact errors expected.

A patch maps a dotted path (``spec.retrieval.concurrency``, ``spec.scopes.0``) to a new
value, or to :data:`DELETE`. The patched document is written as block-style YAML; where
each error must point is checked against positions read back from that text by
ruamel's round-trip loader, which is independent of the composer the loader uses.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML

from generator.blueprint.loader import load_blueprint, load_environment
from generator.blueprint.yaml_source import read_yaml
from generator.errors import Diagnostic

DELETE = object()
"""Patch value that removes the key."""


@dataclass(frozen=True)
class E:
    """One expected error.

    ``at`` says which place ``line:column`` must be: ``value`` (the value at ``path``),
    ``key`` (the key that introduces ``path``), ``parent`` (the mapping that should
    have held a missing key), ``after-key`` (just after ``key:`` with nothing after it: an
    empty value) or ``none`` (no position).
    """

    path: str
    message: str
    allowed: str | None = None
    hint: str | None = None
    value: str | None = None
    at: str = "value"
    code: str | None = None


@dataclass(frozen=True)
class Case:
    """A patch over the base document and every error it must produce."""

    id: str
    patch: Mapping[str, Any]
    errors: tuple[E, ...] = field(default_factory=tuple)


def case(name: str, patch: Mapping[str, Any], *errors: E) -> Case:
    """Shorthand for :class:`Case`."""
    return Case(name, patch, errors)


def _parts(dotted: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in dotted.split(".")] if dotted else []


def patched(base: Any, patch: Mapping[str, Any]) -> Any:
    """A deep copy of ``base`` with each path set (mappings created as needed) or deleted."""
    document = copy.deepcopy(base)
    for dotted, value in patch.items():
        if dotted == "":
            document = copy.deepcopy(value)
            continue
        *head, last = _parts(dotted)
        parent = document
        for part in head:
            parent = parent.setdefault(part, {}) if isinstance(parent, dict) else parent[part]
        if value is DELETE:
            del parent[last]
        else:
            parent[last] = copy.deepcopy(value)
    return document


def dump(document: Any) -> str:
    """Block-style YAML text of ``document`` (keys in insertion order)."""
    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    yaml.width = 4096
    stream = io.StringIO()
    yaml.dump(document, stream)
    return stream.getvalue()


def oracle_position(text: str, path: str, at: str) -> tuple[int, int] | None:
    """1-based line and column of ``path`` in ``text``, read by ruamel's round-trip loader."""
    if at == "none":
        return None
    data = YAML(typ="rt").load(text)
    parts = _parts(path)
    if at == "parent":
        parts = parts[:-1]
        if not parts:
            return (1, 1)
        *head, last = parts
        container = _walk(data, head)
        line, column = _value_position(container, last)
        return (line + 1, column + 1)
    *head, last = parts
    container = _walk(data, head)
    if at == "after-key":
        line, column = container.lc.key(last)
        return (line + 1, column + len(str(last)) + 2)
    if at == "key":
        line, column = container.lc.key(last)
    else:
        line, column = _value_position(container, last)
    return (line + 1, column + 1)


def _walk(data: Any, parts: list[str | int]) -> Any:
    for part in parts:
        data = data[part]
    return data


def _value_position(container: Any, last: str | int) -> tuple[int, int]:
    if isinstance(last, int):
        line, column = container.lc.item(last)
        return int(line), int(column)
    value = container[last]
    if isinstance(value, dict) and value:
        # A block mapping starts at its first key (the composer's node start mark).
        first = next(iter(value))
        line, column = value.lc.key(first)
        return int(line), int(column)
    if isinstance(value, list) and value:
        line, column = value.lc.item(0)
        return int(line), int(column - 2 if column >= 2 else column)
    line, column = container.lc.value(last)
    return int(line), int(column)


def load_blueprint_text(file: str, text: str) -> list[Diagnostic]:
    """Every diagnostic from reading and validating one blueprint text."""
    errors: list[Diagnostic] = []
    load_blueprint(read_yaml(file, text.encode()), errors)
    return errors


def load_environment_text(file: str, text: str) -> list[Diagnostic]:
    """Every diagnostic from reading and validating one environment text."""
    errors: list[Diagnostic] = []
    load_environment(read_yaml(file, text.encode()), errors)
    return errors


def check(case_: Case, diagnostics: list[Diagnostic], text: str, file: str) -> None:
    """Assert that ``diagnostics`` are exactly ``case_.errors``, located and explained."""
    found = sorted(diagnostics, key=lambda d: d.path)
    expected = sorted(case_.errors, key=lambda e: e.path)
    rendered = "\n".join(d.render() for d in found)
    assert [d.path for d in found] == [e.path for e in expected], rendered
    for diagnostic, wanted in zip(found, expected, strict=True):
        assert diagnostic.file == file
        assert wanted.message in diagnostic.message, rendered
        if wanted.allowed is not None:
            assert diagnostic.allowed is not None, rendered
            assert wanted.allowed in diagnostic.allowed, rendered
        if wanted.hint is not None:
            assert diagnostic.hint is not None, rendered
            assert wanted.hint in diagnostic.hint, rendered
        if wanted.value is not None:
            assert diagnostic.value == wanted.value, rendered
        if wanted.code is not None:
            assert diagnostic.code == wanted.code, rendered
        position = oracle_position(text, wanted.path, wanted.at)
        where = (diagnostic.line, diagnostic.column)
        assert where == (position if position else (None, None)), rendered
