"""GitHub Actions workflows for a trellis repository, rendered from small typed records.

:func:`render_workflows` returns ``{path: bytes}`` for ``build/.github/workflows/``:

* ``trellis-pr.yml`` (pull requests): ``trellis render --check``, ``trellis check`` as SARIF
  to code scanning (split over a matrix of shards and merged into one SARIF when the
  repository has more stacks than ``trellis.yaml`` ``check.shard_above_stacks``), then
  for each environment x changed root stack a plan (without the state lock) with the
  environment's read-only role, its JSON, and ``trellis review`` in the job summary,
  uploaded as an artifact with the provider lock file. Environments that do not opt in
  (``plan_on_pull_request``) are not planned from pull requests.
* ``trellis-deploy.yml`` (push to the deploy branch): images built and pushed only when
  their build context changed, then per environment in order dev -> stg -> prd a plan
  job and an apply job bound to the GitHub environment that applies exactly the saved plan.

Every job installs what it runs, pinned: trellis as ``trellis.yaml`` says, checkov and
actionlint through ``trellis tools install`` (cached on their versions). Every job
declares its own minimal ``permissions``; AWS access is OIDC only; third-party
actions are pinned by commit SHA (:mod:`generator.workflows.actions`); untrusted values
reach scripts only through ``env:``. Bootstrap stacks are never planned or applied by CI:
an administrator applies them (see docs/platform.md).
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.workflows import deploy, pull_request
from generator.workflows.emit import dump
from generator.workflows.records import (
    CheckSharding,
    Installation,
    WorkflowEnvironment,
    WorkflowStack,
)
from generator.workflows.steps import default_installation

__all__ = [
    "CheckSharding",
    "Installation",
    "WorkflowEnvironment",
    "WorkflowStack",
    "default_installation",
    "render_workflows",
]


def render_workflows(
    environments: Sequence[WorkflowEnvironment],
    stacks: Sequence[WorkflowStack],
    installation: Installation | None = None,
) -> dict[str, bytes]:
    """Render both workflows; paths are relative to the build directory.

    ``installation`` says how the jobs install trellis and from which indexes (default:
    trellis from PyPI at the version rendering, the runner's default indexes); checkov and
    actionlint are always installed at their pinned versions by ``trellis tools install``.

    Stacks are planned and applied in the order given within an environment (give them in
    dependency order); environments are ordered dev, stg, prd, then by name. Stacks named
    ``bootstrap`` are left out.

    Raises:
        ValueError: two environments share a name, or a stack names an environment that is
            not in ``environments`` (a bug in the caller, not user input).
    """
    names = [env.name for env in environments]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate environment names in {sorted(names)}")
    known = set(names)
    unknown = sorted({stack.key for stack in stacks if stack.env not in known})
    if unknown:
        raise ValueError(f"stacks {unknown} name environments not in {sorted(known)}")
    seen: set[str] = set()
    deployable: list[WorkflowStack] = []
    for stack in stacks:
        if stack.blueprint == "bootstrap" or stack.key in seen:
            continue
        seen.add(stack.key)
        deployable.append(stack)
    install = installation or default_installation()
    return {
        pull_request.PATH: dump(pull_request.build(environments, deployable, install)),
        deploy.PATH: dump(deploy.build(environments, deployable, install)),
    }
