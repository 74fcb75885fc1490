"""Commented skeletons for ``trellis init``: one blueprint per kind, and an environment.

Each ``<Kind>.yaml`` beside this module is a complete blueprint whose comments explain
every field, its default and its limits; ``environment.yaml`` is the same for an
environment. The ``${...}`` placeholders are filled in; the result validates as written
(the tests prove it for every kind and for the environment). Every ``init`` also writes
``.trellis/.gitignore``, so the plans, reviews and schemas trellis writes there are
never committed.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from generator.blueprint.kinds.common import Name
from generator.blueprint.kinds.envelope import SPEC_MODELS
from generator.blueprint.kinds.environment import AccountId, EnvironmentName, Region
from generator.blueprint.kinds.environment import Repository as GitHubRepository
from generator.errors import Diagnostic, UserError
from generator.write.home import ensure_home

KINDS = tuple(SPEC_MODELS)
ENVIRONMENT = "environment"
_NAME = TypeAdapter(Name)
_ENVIRONMENT_FIELDS = {
    "name": TypeAdapter(EnvironmentName),
    "account_id": TypeAdapter(AccountId),
    "region": TypeAdapter(Region),
    "github.repository": TypeAdapter(GitHubRepository),
}


def skeleton(kind: str, name: str, team: str) -> str:
    """The skeleton text of ``kind`` with ``name`` and ``team`` filled in.

    Raises ``KeyError`` for an unknown kind (callers offer only :data:`KINDS`).
    """
    if kind not in SPEC_MODELS:
        raise KeyError(kind)
    text = resources.files(__name__).joinpath(f"{kind}.yaml").read_text(encoding="utf-8")
    return text.replace("${name}", name).replace("${team}", team)


def _check_name(
    value: str, field: str, file: str, adapter: TypeAdapter[str] = _NAME
) -> Diagnostic | None:
    try:
        adapter.validate_python(value)
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
    return _write_new(root / "blueprints", name, skeleton(kind, name, team))


def environment_skeleton(name: str, account_id: str, region: str, repository: str) -> str:
    """The environment skeleton with its placeholders filled in."""
    text = resources.files(__name__).joinpath("environment.yaml").read_text(encoding="utf-8")
    for key, value in (
        ("name", name),
        ("account_id", account_id),
        ("region", region),
        ("repository", repository),
    ):
        text = text.replace("${" + key + "}", value)
    return text


def write_environment_skeleton(
    root: Path, name: str, account_id: str, region: str, repository: str
) -> Path:
    """Write ``root/environments/<name>.yaml``; return its path.

    Raises :class:`UserError` when a value breaks its field's rule or the file (``.yaml``
    or ``.yml``) exists, and ``OSError`` when the directory cannot be written.
    """
    relative = f"environments/{name}.yaml"
    problems = [
        d
        for d in (
            *(
                _check_name(value, field, relative, _ENVIRONMENT_FIELDS[field])
                for field, value in (
                    ("name", name),
                    ("account_id", account_id),
                    ("region", region),
                    ("github.repository", repository),
                )
            ),
        )
        if d is not None
    ]
    if problems:
        raise UserError(problems)
    return _write_new(
        root / "environments", name, environment_skeleton(name, account_id, region, repository)
    )


def _write_new(folder: Path, name: str, text: str) -> Path:
    for suffix in (".yaml", ".yml"):
        existing = folder / f"{name}{suffix}"
        if existing.exists():
            raise UserError.single(
                f"{folder.name}/{existing.name}",
                "already exists; trellis init never overwrites a file",
                hint="choose another NAME, or delete the file first",
                code="cli.exists",
            )
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.yaml"
    with target.open("x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
        handle.write(text)
    ensure_home(folder.parent)
    return target
