"""The pipeline as calls: load → resolve → derive → render → write.

The stages below are pure (models in, models or files out); this module is where the
disk is read (the repository, ``trellis.yaml``, the reviewed skips, ``build/``), the
bundle is built and the tree is written. The render machinery (jinja2, the bundle
builder, IAM derivation) is imported by :func:`render_repository` itself, so
``trellis validate`` loads only what loading and resolving need.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from generator.blueprint.loader import Repository, collect_repository
from generator.errors import Diagnostic, UserError
from generator.kind_registry import plugin
from generator.model.deployment import Deployment
from generator.model.resolve import resolve
from generator.settings import collect_settings, load_settings

if TYPE_CHECKING:
    from generator.render.pipeline import RenderResult
    from generator.workflows import Installation


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
    errors: list[Diagnostic] = []
    repository = collect_repository(root, envs, errors)
    collect_settings(root, errors)
    deployments = resolve(repository, errors)
    if errors:
        raise UserError(errors)
    return repository, deployments


def workflow_installation(root: Path) -> Installation:
    """How the workflows install trellis, from ``root/trellis.yaml`` (validated; a bad file
    is a :class:`~generator.errors.UserError` with positions)."""
    from generator import __version__
    from generator.workflows import CheckSharding, Installation

    settings = load_settings(root)
    ci = settings.ci
    return Installation(
        trellis=ci.trellis.requirement(__version__),
        python_index_url=ci.python_index_url,
        npm_registry=ci.npm_registry,
        sharding=CheckSharding(settings.check.shard_above_stacks, settings.check.shards),
    )


def render_repository(
    root: Path,
    envs: Sequence[str] = (),
    out: Path | None = None,
    *,
    write: bool = True,
    keep_other_envs: bool = True,
    cache_dir: Path | None = None,
) -> RenderResult:
    """Load, resolve and render ``root``; write the tree atomically to ``out``.

    ``out`` defaults to ``root/build``. With ``write=False`` nothing is written (used by
    drift checks). Every environment is loaded and rendered, because the workflows and
    the bootstrap stacks span them all; with ``envs`` (and ``keep_other_envs``, the
    default) the files of the other environments are then taken from ``out`` unchanged
    (:func:`~generator.render.pipeline.keep_other_environments`). Raises
    :class:`~generator.errors.UserError` for bad input, for an unknown name in ``envs``
    and for an ``out`` that is a file, leaving ``out`` untouched.
    """
    from generator.bundle import build_auth_bundle, build_runtime_bundle
    from generator.policy.skips import reviewed_skips
    from generator.render.pipeline import keep_other_environments, render_deployments
    from generator.render.stack import ARCHITECTURE, LAMBDA_PYTHON
    from generator.write.atomic import read_tree, refuse_non_directory, write_tree
    from generator.write.home import ensure_home
    from runtime.ingest.dedup_store import EXPIRES_AT

    target = out or root / "build"
    refuse_non_directory(target)
    _, deployments = load_and_resolve(root)
    if set(envs) - {d.target.env for d in deployments}:
        load_and_resolve(root, envs)  # raises the unknown-environment error, with its hint
    # The other reviewed files, read before the bundles are built: bad input fails fast.
    skips, installation = reviewed_skips(root), workflow_installation(root)
    home = ensure_home(root)
    bundles_dir = cache_dir or home / "cache" / "bundles"
    bundle = build_runtime_bundle(
        bundles_dir, python_version=LAMBDA_PYTHON, architecture=ARCHITECTURE
    )
    others = {}
    if any(plugin(d.kind).bundle == "auth" for d in deployments):
        others["auth"] = build_auth_bundle(
            bundles_dir, python_version=LAMBDA_PYTHON, architecture=ARCHITECTURE
        )
    result = render_deployments(
        deployments,
        bundle,
        EXPIRES_AT,
        skips,
        installation,
        bundles=others,
    )
    if envs:
        on_disk = read_tree(target) if keep_other_envs else {}
        result = keep_other_environments(result, on_disk, set(envs))
    if write:
        write_tree(result.tree, target)
    return result
