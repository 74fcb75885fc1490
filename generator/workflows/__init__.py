"""GitHub Actions workflows for a trellis repository, rendered from small typed records.

:func:`render_workflows` returns ``{path: bytes}`` for ``build/.github/workflows/``:

* ``trellis-pr.yml`` (pull requests): ``trellis render --check``, ``trellis check`` as SARIF
  to code scanning, then for each environment x changed root stack a plan with the
  environment's read-only role, its JSON, and ``trellis review`` in the job summary, all
  three uploaded as an artifact.
* ``trellis-deploy.yml`` (push to the deploy branch): images built and pushed only when
  their build context changed, then per environment in order dev -> stg -> prd a plan
  job and an apply job bound to the GitHub environment that applies exactly the saved plan.

Every job declares its own minimal ``permissions``; AWS access is OIDC only; third-party
actions are pinned by commit SHA (:mod:`generator.workflows.actions`); untrusted values
reach scripts only through ``env:``. Bootstrap stacks are never planned or applied by CI:
an administrator applies them (see docs/platform.md).
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.workflows import deploy, pull_request
from generator.workflows.emit import dump
from generator.workflows.records import WorkflowEnvironment, WorkflowStack

__all__ = ["WorkflowEnvironment", "WorkflowStack", "render_workflows"]


def render_workflows(
    environments: Sequence[WorkflowEnvironment], stacks: Sequence[WorkflowStack]
) -> dict[str, bytes]:
    """Render both workflows; paths are relative to the build directory.

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
    return {
        pull_request.PATH: dump(pull_request.build(environments, deployable)),
        deploy.PATH: dump(deploy.build(environments, deployable)),
    }
