"""Loading the reviewed YAML files under ``policies/iam/`` with errors a person can act on.

Each file goes through the one reviewed-YAML loader
(:func:`generator.blueprint.reviewed_yaml.load_reviewed_yaml`): the strict YAML reader with
positions, the caller's pydantic model, and one
:class:`~generator.errors.UserError` whose diagnostics name the file, line and column, the
field path, the value and the fix.

What can go wrong: the file cannot be read or is not valid YAML, is empty, is not a
mapping, has the wrong ``kind``, or fails the model (unknown keys, wrong types, values out
of range). All of these are user errors; nothing here raises anything else for bad input.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from generator.blueprint.reviewed_yaml import load_reviewed_yaml

ModelT = TypeVar("ModelT", bound=BaseModel)


def display_path(path: Path, root: Path | None) -> str:
    """``path`` relative to ``root`` in POSIX form when it is inside it, else as given."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def load_model(path: Path, model: type[ModelT], *, kind: str, root: Path | None = None) -> ModelT:
    """Parse ``path`` and validate it as ``model``; the document's ``kind`` must be ``kind``.

    Raises :class:`UserError` with one diagnostic per problem (file, line, field, value).
    """
    return load_reviewed_yaml(path, model, file=display_path(path, root), kind=kind)
