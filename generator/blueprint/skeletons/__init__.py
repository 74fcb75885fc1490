"""Commented skeleton blueprints, one per kind, for ``trellis init``.

Each ``<Kind>.yaml`` beside this module is a complete blueprint whose comments explain
every field, its default and its limits. ``${name}`` and ``${team}`` are filled in; the
result validates as written (the tests prove it for every kind).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from generator.blueprint.kinds.common import Name
from generator.blueprint.kinds.envelope import SPEC_MODELS
from generator.errors import Diagnostic, UserError

KINDS = tuple(SPEC_MODELS)
_NAME = TypeAdapter(Name)


def skeleton(kind: str, name: str, team: str) -> str:
    """The skeleton text of ``kind`` with ``name`` and ``team`` filled in.

    Raises ``KeyError`` for an unknown kind (callers offer only :data:`KINDS`).
    """
    if kind not in SPEC_MODELS:
        raise KeyError(kind)
    text = resources.files(__name__).joinpath(f"{kind}.yaml").read_text(encoding="utf-8")
    return text.replace("${name}", name).replace("${team}", team)


def _check_name(value: str, field: str, file: str) -> Diagnostic | None:
    try:
        _NAME.validate_python(value)
    except ValidationError as exc:
        details = exc.errors(include_url=False)[0]
        context = details.get("ctx") or {}
        return Diagnostic(
            file=file,
            line=None,
            column=None,
            path=field,
            message=details["msg"],
            code="cli.name",
            value=repr(value),
            allowed=context.get("allowed"),
            hint=context.get("hint"),
        )
    return None


def write_skeleton(root: Path, kind: str, name: str, team: str) -> Path:
    """Write ``root/blueprints/<name>.yaml`` from the skeleton of ``kind``; return its path.

    Raises :class:`UserError` when ``name`` or ``team`` breaks the name rule, or when a
    blueprint file of that name already exists (it is never overwritten), and
    ``OSError`` when the directory cannot be written.
    """
    relative = f"blueprints/{name}.yaml"
    problems = [
        d
        for d in (
            _check_name(name, "metadata.name", relative),
            _check_name(team, "metadata.team", relative),
        )
        if d is not None
    ]
    if problems:
        raise UserError(problems)
    folder = root / "blueprints"
    for suffix in (".yaml", ".yml"):
        existing = folder / f"{name}{suffix}"
        if existing.exists():
            raise UserError.single(
                f"blueprints/{existing.name}",
                "already exists; trellis init never overwrites a file",
                hint="choose another NAME, or delete the file first",
                code="cli.exists",
            )
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.yaml"
    text = skeleton(kind, name, team)
    with target.open("x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
        handle.write(text)
    return target
