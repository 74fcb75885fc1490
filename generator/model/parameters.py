"""SSM parameters stacks publish for each other: every read needs a writer that deploys first.

Each kind's resources declare the parameters its stack writes (``parameters_written``) and
reads at plan time (``parameters_read``). A read that no stack of the same environment
writes fails the plan with ``ParameterNotFound``; a writer that deploys after its reader
fails the first deploy the same way. :func:`unwritten_parameters` reports the first at
validate time, unless the blueprint declares the parameter external
(``spec.external_parameters``); :func:`deploy_order` orders each environment's stacks so that
writers always come first (the deploy workflow applies them in that order) and reports a
cycle as an internal error.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.blueprint.loader import Repository
from generator.errors import Diagnostic
from generator.model.deployment import Deployment


def unwritten_parameters(
    repository: Repository, deployments: Sequence[Deployment]
) -> list[Diagnostic]:
    """Each plan-time read of a parameter no stack of its environment writes."""
    documents = {b.name: b.document for b in repository.blueprints}
    written: dict[str, set[str]] = {}
    for deployment in deployments:
        written.setdefault(deployment.target.env, set()).update(
            deployment.resources.parameters_written
        )
    problems: list[Diagnostic] = []
    for deployment in deployments:
        env = deployment.target.env
        for read in deployment.resources.parameters_read:
            if read.external or read.name in written.get(env, set()):
                continue
            document = documents.get(deployment.blueprint)
            line, column = (document.position(read.field) if document else None) or (None, None)
            problems.append(
                Diagnostic(
                    file=deployment.source_file,
                    line=line,
                    column=column,
                    path=".".join(read.field),
                    message=f"the {deployment.blueprint} stack in {env} reads the SSM parameter "
                    f"{read.name}, which no stack of {env} writes: its plan would fail with "
                    "ParameterNotFound",
                    code="resolve.unwritten-parameter",
                    value=read.name,
                    allowed="a parameter another blueprint's stack writes in the same "
                    "environment, or one listed in spec.external_parameters",
                    hint="add the blueprint that writes it, or list it under "
                    f"spec.external_parameters (for {env}: in environments/{env}.yaml "
                    f"overrides.{deployment.blueprint}) once you have created it",
                )
            )
    return problems


def deploy_order(deployments: Sequence[Deployment]) -> list[Deployment]:
    """``deployments`` by environment, each environment's writers before their readers
    (then by blueprint name), so the deploy workflow applies a parameter's writer first.

    Raises :class:`ValueError` when stacks read each other's parameters in a cycle.
    """
    ordered: list[Deployment] = []
    for env in sorted({d.target.env for d in deployments}):
        pending = sorted((d for d in deployments if d.target.env == env), key=lambda d: d.key)
        writers = {name: d.key for d in pending for name in d.resources.parameters_written}
        done: set[str] = set()
        while pending:
            ready = [
                d
                for d in pending
                if all(
                    writers.get(r.name, d.key) in done | {d.key}
                    for r in d.resources.parameters_read
                )
            ]
            if not ready:
                msg = f"stacks of {env} read each other's parameters in a cycle: " + ", ".join(
                    d.key for d in pending
                )
                raise ValueError(msg)
            first = ready[0]
            ordered.append(first)
            done.add(first.key)
            pending.remove(first)
    return ordered
