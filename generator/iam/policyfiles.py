"""Loading the reviewed YAML files under ``policies/iam/`` with errors a person can act on.

A file is parsed with ruamel.yaml (round-trip mode, so every key keeps its line), then
validated with a pydantic model. Every problem becomes a :class:`~generator.errors.Diagnostic`
naming the file, the line, the field path and the value, and all of them are raised
together as one :class:`~generator.errors.UserError`.

What can go wrong: the file is not valid YAML, is empty, is not a mapping, has the wrong
``kind``, or fails the model (unknown keys, wrong types, values out of range). All of these
are user errors; nothing here raises anything else for bad input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

from generator.errors import Diagnostic, UserError

ModelT = TypeVar("ModelT", bound=BaseModel)


def display_path(path: Path, root: Path | None) -> str:
    """``path`` relative to ``root`` in POSIX form when it is inside it, else as given."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def _line_of(document: Any, loc: tuple[int | str, ...]) -> int | None:
    """1-based line of the deepest node of ``loc`` that the YAML document still has."""
    node = document
    line: int | None = None
    for part in loc:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(part, int) and isinstance(node, list):
                if lc is not None:
                    line = lc.item(part)[0] + 1
                node = node[part]
            elif isinstance(node, dict) and part in node:
                if lc is not None:
                    line = lc.key(part)[0] + 1
                node = node[part]
            else:
                break
        except (KeyError, IndexError, TypeError):
            break
    if line is None and getattr(document, "lc", None) is not None:
        line = int(document.lc.line) + 1
    return line


def _value_at(document: Any, loc: tuple[int | str, ...]) -> str | None:
    node = document
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    if isinstance(node, dict | list):
        return None
    return repr(node)


def load_model(path: Path, model: type[ModelT], *, kind: str, root: Path | None = None) -> ModelT:
    """Parse ``path`` and validate it as ``model``; the document's ``kind`` must be ``kind``.

    Raises :class:`UserError` with one diagnostic per problem (file, line, field, value).
    """
    shown = display_path(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise UserError.single(shown, f"cannot be read: {err.strerror}") from None
    try:
        document = YAML(typ="rt").load(text)
    except MarkedYAMLError as err:
        mark = err.problem_mark
        raise UserError(
            [
                Diagnostic(
                    file=shown,
                    line=mark.line + 1 if mark is not None else None,
                    column=mark.column + 1 if mark is not None else None,
                    path="",
                    message=f"is not valid YAML: {err.problem}",
                    code="yaml",
                )
            ]
        ) from None
    if not isinstance(document, dict):
        raise UserError.single(
            shown,
            "must be a YAML mapping with apiVersion, kind and the rule fields",
            hint=f"start the file with 'apiVersion: trellis/v1' and 'kind: {kind}'",
        )
    if document.get("kind") != kind:
        raise UserError(
            [
                Diagnostic(
                    file=shown,
                    line=_line_of(document, ("kind",)),
                    column=None,
                    path="kind",
                    message=f"must be {kind!r}",
                    value=repr(document.get("kind")),
                    allowed=kind,
                    hint=f"set 'kind: {kind}'",
                    code="kind",
                )
            ]
        )
    try:
        return model.model_validate(dict(document))
    except ValidationError as err:
        diagnostics = []
        for error in err.errors():
            loc = tuple(error["loc"])
            diagnostics.append(
                Diagnostic(
                    file=shown,
                    line=_line_of(document, loc),
                    column=None,
                    path=".".join(str(part) for part in loc),
                    message=error["msg"],
                    value=_value_at(document, loc),
                    code=str(error["type"]),
                )
            )
        raise UserError(diagnostics) from None
