"""Render deployments into a tree of files: models in, files in memory out.

Nothing here reads or writes the disk: the reviewed skips, the bundle and the files
already in ``build/`` are handed in by :func:`generator.pipeline.render_repository`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from generator.derive import derive_stack_roles
from generator.iam.deploy_roles import derive_deploy_policies, stacks_resource_types
from generator.images import is_image, render_image_contexts
from generator.kind_registry import plugin
from generator.model.deployment import Deployment, Target
from generator.model.parameters import deploy_order
from generator.model.resolve import state_bucket_name
from generator.policy.skips import Skip
from generator.render.modules import module_files
from generator.render.stack import (
    ARCHITECTURE,
    BOOTSTRAP,
    LAMBDA_PYTHON,
    deploy_scope,
    render_bootstrap,
    render_stack,
)
from generator.render.tree import MANIFEST, Tree, manifest
from generator.workflows import (
    Installation,
    WorkflowEnvironment,
    WorkflowStack,
    render_workflows,
)


@dataclass(frozen=True)
class RenderResult:
    """What a render produced: the tree and the stacks it could not render yet."""

    tree: Tree
    deployments: tuple[Deployment, ...]
    skipped: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def stacks(self) -> tuple[str, ...]:
        """``<env>/<name>`` of every rendered root stack, bootstrap stacks included."""
        skipped = {key for key, _ in self.skipped}
        rendered = {d.key for d in self.deployments if d.key not in skipped}
        rendered |= {f"{d.target.env}/{BOOTSTRAP}" for d in self.deployments}
        return tuple(sorted(rendered))


def render_deployments(
    deployments: Sequence[Deployment],
    bundle: Any,
    ttl_attribute: str,
    skips: Sequence[Skip],
    installation: Installation | None = None,
    bundles: Mapping[str, Any] | None = None,
) -> RenderResult:
    """Every root stack, the modules they use, the bundles and the manifest, in memory.

    ``bundle`` is the runtime bundle; ``bundles`` the others by name (``"auth"``), each
    stack getting the one its kind names (:attr:`KindPlugin.bundle`; the runtime bundle
    when ``bundles`` lacks it, as in tests that render with one stand-in zip). ``skips``
    are the reviewed checkov skips written into the modules
    (:func:`generator.policy.skips.reviewed_skips`); ``installation`` is how the workflows
    install trellis (``trellis.yaml``, read by :mod:`generator.pipeline`).
    """
    tree: Tree = module_files(skips)
    skipped: list[tuple[str, str]] = []
    by_name = {"runtime": bundle, **(bundles or {})}
    used: dict[str, Any] = {}
    for deployment in deployments:
        own = by_name.get(plugin(deployment.kind).bundle, bundle)
        try:
            tree.update(
                render_stack(deployment, derive_stack_roles(deployment), own, ttl_attribute)
            )
        except NotImplementedError as exc:
            skipped.append((deployment.key, str(exc)))
        else:
            if not is_image(deployment):  # an image stack runs its image, not the zip
                used[own.filename] = own
    tree.update(render_environment_stacks(deployments, tree, skips))
    for filename, zipped in sorted(used.items()):
        tree[PurePosixPath("bundles", filename)] = zipped.data
    tree.update(render_image_contexts(deployments, bundle, f"python{LAMBDA_PYTHON}", ARCHITECTURE))
    tree.update(render_workflow_files(deployments, {key for key, _ in skipped}, installation))
    tree[MANIFEST] = manifest(tree)
    return RenderResult(tree=tree, deployments=tuple(deployments), skipped=tuple(skipped))


def _targets(deployments: Sequence[Deployment]) -> dict[str, Target]:
    return {d.target.env: d.target for d in sorted(deployments, key=lambda d: d.key)}


def render_environment_stacks(
    deployments: Sequence[Deployment], stacks: Tree, skips: Sequence[Skip] = ()
) -> Tree:
    """One bootstrap stack per environment, with ECR repositories for image blueprints and
    the deploy roles derived from the resource types of the environment's stacks in
    ``stacks`` (the rendered root stacks and modules)."""
    tree: Tree = {}
    for env, target in _targets(deployments).items():
        images = [
            d.blueprint
            for d in deployments
            if d.target.env == env and getattr(d.spec, "package", "zip") == "image"
        ]
        keys = [PurePosixPath(d.key) for d in deployments if d.target.env == env]
        types = stacks_resource_types(stacks, keys)
        policies = derive_deploy_policies(types, deploy_scope(target))
        tree.update(render_bootstrap(target, state_bucket_name(target), images, policies, skips))
    return tree


def render_workflow_files(
    deployments: Sequence[Deployment], skipped: set[str], installation: Installation | None = None
) -> Tree:
    """``.github/workflows/`` for every rendered root stack (bootstrap stacks excluded);
    ``installation`` comes from ``trellis.yaml`` (default: trellis from PyPI)."""
    environments = [
        WorkflowEnvironment(
            name=t.env,
            account_id=t.account_id,
            region=t.region,
            approval=t.approval,  # type: ignore[arg-type]
            repository=t.github_repository,
            branch=t.github_branch,
            plan_on_pull_request=t.plan_on_pull_request,
            namespace=t.namespace,
        )
        for t in _targets(deployments).values()
    ]
    stacks = [
        WorkflowStack(
            env=d.target.env,
            blueprint=d.blueprint,
            package=getattr(d.spec, "package", "zip"),
            architecture=ARCHITECTURE,  # every function's, and so its image's platform
        )
        for d in deploy_order(deployments)  # a parameter's writer before its readers
        if d.key not in skipped
    ]
    files = render_workflows(environments, stacks, installation)
    return {PurePosixPath(path): data for path, data in sorted(files.items())}


def keep_other_environments(
    result: RenderResult, on_disk: Tree, rendered_envs: set[str]
) -> RenderResult:
    """``result`` with the files of every other environment exactly as ``on_disk`` has them.

    ``result`` is a render of every environment (the workflows, the modules and the
    bundle are shared and must list them all); for an environment outside
    ``rendered_envs`` that already has files on disk, those files replace the rendered
    ones byte for byte, so ``trellis render --env dev`` changes dev and nothing of stg or
    prd. An environment with nothing on disk yet keeps its rendered files, so the
    workflows never name stacks that do not exist. The manifest covers the result.
    """
    environments = {d.target.env for d in result.deployments}
    kept = {env for env in environments - rendered_envs if any(p.parts[0] == env for p in on_disk)}
    tree = {path: data for path, data in result.tree.items() if path.parts[0] not in kept}
    tree.update({path: data for path, data in on_disk.items() if path.parts[0] in kept})
    tree[MANIFEST] = manifest(tree)
    selected = tuple(d for d in result.deployments if d.target.env not in kept)
    skipped = tuple((key, why) for key, why in result.skipped if key.split("/")[0] not in kept)
    return RenderResult(tree=tree, deployments=selected, skipped=skipped)
