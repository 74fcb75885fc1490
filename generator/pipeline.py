"""The front of the pipeline as one call: load the repository, then resolve it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.blueprint.loader import Repository, collect_repository
from generator.errors import Diagnostic, UserError
from generator.model.deployment import Deployment
from generator.model.resolve import resolve


def load_and_resolve(
    root: Path, envs: Sequence[str] = ()
) -> tuple[Repository, tuple[Deployment, ...]]:
    """Load every file under ``root`` (``trellis.yaml`` too) and resolve every blueprint ×
    environment.

    Raises :class:`UserError` with every problem found, whether in loading or in
    applying overrides (which is only attempted once every file loads).
    """
    if not root.is_dir():
        raise UserError.single(
            str(root),
            "not a directory",
            hint="pass the repository root (the folder with blueprints/)",
        )
    from generator.settings import collect_settings

    errors: list[Diagnostic] = []
    repository = collect_repository(root, envs, errors)
    collect_settings(root, errors)
    deployments = resolve(repository, errors)
    if errors:
        raise UserError(errors)
    return repository, deployments
