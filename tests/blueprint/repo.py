"""A throw-away copy of the example repository for tests that span files."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.errors import Diagnostic, UserError
from generator.pipeline import load_and_resolve

PROJECT = Path(__file__).resolve().parents[2]


def example_repository(root: Path) -> Path:
    """Copy the project's example blueprints/ and environments/ into ``root``."""
    for folder in ("blueprints", "environments"):
        shutil.copytree(PROJECT / folder, root / folder)
    return root


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in ``path`` with ``new``."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """1-based number of the one line of ``path`` containing ``needle``."""
    lines = [i for i, t in enumerate(path.read_text().splitlines(), 1) if needle in t]
    assert len(lines) == 1, f"{needle!r} is on lines {lines} of {path}"
    return lines[0]


def errors_of(root: Path, envs: tuple[str, ...] = ()) -> list[Diagnostic]:
    """Every diagnostic from loading and resolving ``root`` (empty when it is valid)."""
    try:
        load_and_resolve(root, envs)
    except UserError as exc:
        return exc.diagnostics
    return []
