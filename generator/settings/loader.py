"""Reading ``trellis.yaml`` through the one reviewed-YAML loader, with positioned errors.

What can go wrong, each a :class:`~generator.errors.UserError` (exit 2) with file, line,
field, value and fix: the YAML reader's refusals (duplicate keys, tabs, anchors...), an
unknown or misspelt key, a bad value, two install sources at once, and a ``wheel`` that
is not a file in the repository.
"""

from __future__ import annotations

from pathlib import Path

from generator.blueprint.reviewed_yaml import load_reviewed_file
from generator.blueprint.yaml_source import SourceDocument
from generator.errors import Diagnostic, UserError
from generator.settings.model import FILE_NAME, Settings


def _wheel_exists(root: Path, document: SourceDocument, settings: Settings) -> list[Diagnostic]:
    wheel = settings.ci.trellis.wheel
    if wheel is None or (root / wheel).is_file():
        return []
    line, column = document.position(("ci", "trellis", "wheel")) or (None, None)
    return [
        Diagnostic(
            file=document.file,
            line=line,
            column=column,
            path="ci.trellis.wheel",
            message=f"{wheel!r} is not a file in the repository",
            code="settings.wheel",
            value=repr(wheel),
            hint="commit the wheel (python -m build writes it to dist/) or fix the path",
        )
    ]


def collect_settings(root: Path, errors: list[Diagnostic]) -> Settings:
    """``root/trellis.yaml`` validated, or the defaults when there is no such file;
    problems are appended to ``errors`` (and the defaults returned)."""
    path = root / FILE_NAME
    if not path.is_file():
        return Settings()
    try:
        reviewed = load_reviewed_file(path, Settings, file=FILE_NAME)
    except UserError as exc:
        errors.extend(exc.diagnostics)
        return Settings()
    document, settings = reviewed.document, reviewed.value
    errors.extend(_wheel_exists(root, document, settings))
    return settings


def load_settings(root: Path) -> Settings:
    """:func:`collect_settings`, raising one :class:`UserError` with every problem."""
    errors: list[Diagnostic] = []
    settings = collect_settings(root, errors)
    if errors:
        raise UserError(errors)
    return settings
