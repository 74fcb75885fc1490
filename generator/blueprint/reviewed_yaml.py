"""The one way a reviewed YAML file is read: strict YAML with positions, a pydantic model,
and positioned errors.

Every file a person writes and a reviewer approves goes through here: blueprints and
environments, ``trellis.yaml``, ``policies/skips.yaml`` and the IAM policy files under
``policies/iam/``. The file is read with the strict reader of
:mod:`generator.blueprint.yaml_source` (size limit, UTF-8, no tabs, anchors, merge keys or
duplicate keys, one document; every node keeps its line and column), validated with the
caller's pydantic model, and every validation error becomes a
:class:`~generator.errors.Diagnostic` through :mod:`generator.blueprint.validation`: file,
line and column, dotted field path, the value found, what is allowed and the fix. So a
mistake reads the same in every reviewed file.

What can go wrong, each raised as one :class:`~generator.errors.UserError` carrying every
problem found: the file cannot be read (missing, unreadable, a dangling symlink), the YAML
reader refuses it, the document names another ``kind`` than the one expected, or the model
rejects it.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from generator.blueprint.validation import diagnostics_from, show
from generator.blueprint.yaml_source import Path_, SourceDocument, check_size, read_yaml
from generator.errors import Diagnostic, UserError

ModelT = TypeVar("ModelT", bound=BaseModel)
_WHOLE_DOCUMENT: Any = object()


@dataclass(frozen=True)
class Reviewed(Generic[ModelT]):
    """A validated file: the model, and the document it came from (for the positions of
    checks that span entries or files, such as a duplicate)."""

    document: SourceDocument
    value: ModelT


def read_document(path: Path, file: str) -> SourceDocument:
    """Read ``path`` with the strict YAML reader; ``file`` is how messages name it.

    The size is checked before the file is read. Raises :class:`UserError` when the file
    cannot be read (with a fix for a dangling symlink or missing permissions) or when the
    reader refuses its text.
    """
    try:
        check_size(file, path.stat().st_size)
        raw = path.read_bytes()
    except OSError as exc:
        if path.is_symlink() and exc.errno == errno.ENOENT:
            message = f"is a symbolic link to {path.readlink()}, which does not exist"
            hint = "point the link at an existing file, or remove it"
        else:
            message = f"cannot read the file: {exc.strerror}"
            hint = "make it readable (chmod a+r), or remove it"
        raise UserError(
            [Diagnostic(file, None, None, "", message, code="io.read", hint=hint)]
        ) from None
    return read_yaml(file, raw)


def validate_document(
    document: SourceDocument,
    model: type[ModelT],
    *,
    data: Any = _WHOLE_DOCUMENT,
    prefix: Path_ = (),
) -> ModelT:
    """``data`` (by default the whole document) validated as ``model``.

    ``prefix`` is where ``data`` sits in the document (``("spec",)`` for a blueprint's
    spec), so positions and field paths point into the file. Raises :class:`UserError`
    with one diagnostic per validation error.
    """
    try:
        return model.model_validate(document.data if data is _WHOLE_DOCUMENT else data)
    except ValidationError as exc:
        raise UserError(
            diagnostics_from(exc, model=model, document=document, prefix=prefix)
        ) from None


def check_kind(document: SourceDocument, kind: str) -> None:
    """Raise :class:`UserError` unless the document is a mapping whose ``kind`` is ``kind``.

    Checked before the model, so a file of another kind gets one clear message rather than
    every field the other kind does not have.
    """
    data = document.data
    if not isinstance(data, dict):
        raise UserError(
            [
                Diagnostic(
                    document.file,
                    1,
                    1,
                    "",
                    f"must be a YAML mapping: the apiVersion, kind: {kind} and its fields",
                    code="schema.document",
                    hint=f"start the file with 'apiVersion: trellis/v1' and 'kind: {kind}'",
                )
            ]
        )
    if data.get("kind") != kind:
        present = "kind" in data
        line, column = document.position(("kind",) if present else ()) or (None, None)
        found = show(data["kind"]) if present else None
        raise UserError(
            [
                Diagnostic(
                    document.file,
                    line,
                    column,
                    "kind",
                    f"{found} must be {kind!r}" if present else "required field 'kind' is missing",
                    code="schema.kind",
                    value=found,
                    allowed=kind,
                    hint=f"set 'kind: {kind}', or move the file: only {kind} documents belong here",
                )
            ]
        )


def load_reviewed_file(
    path: Path, model: type[ModelT], *, file: str, kind: str | None = None
) -> Reviewed[ModelT]:
    """Read ``path`` and validate it as ``model``, keeping the document for positions.

    ``file`` is how messages name the file (relative to the repository root, POSIX);
    ``kind``, when given, is the ``kind`` the document must declare. Raises
    :class:`UserError` as described in the module docstring.
    """
    document = read_document(path, file)
    if kind is not None:
        check_kind(document, kind)
    return Reviewed(document, validate_document(document, model))


def load_reviewed_yaml(
    path: Path, model: type[ModelT], *, file: str, kind: str | None = None
) -> ModelT:
    """:func:`load_reviewed_file` when only the validated model is needed."""
    return load_reviewed_file(path, model, file=file, kind=kind).value
