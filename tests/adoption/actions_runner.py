"""Run a job of a generated workflow the way a GitHub-hosted runner would, step by step.

``run:`` steps execute for real, in order, with ``bash --noprofile --norc -eo pipefail``
(GitHub's ``shell: bash``), in the job's working directory, with the environment a runner
gives them: ``CI``, ``GITHUB_*`` (workspace, output, env, path, step summary, sha, ref,
repository, event), ``RUNNER_*``, then the workflow's, job's and step's ``env:``. Values
written to ``$GITHUB_ENV`` and ``$GITHUB_PATH`` reach later steps, as on a runner.

``uses:`` steps cannot run here (no GitHub, no downloads); each action must have a local
substitute (:class:`Substitute`) that does the local equivalent and asserts its inputs.
An action without one fails the run, so a new action in a workflow cannot slip through
untested. Expressions are resolved for ``matrix`` and step outputs that substitutes set;
any other expression in a ``run:`` step's environment or working directory fails the run.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


class WorkflowRunError(AssertionError):
    """A step failed or could not be run as a runner would run it."""


@dataclass
class JobContext:
    """What a job sees while it runs: its workspace, matrix, environment and outputs."""

    workspace: Path
    runner_temp: Path
    env: dict[str, str]
    matrix: dict[str, str] = field(default_factory=dict)
    step_outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    def expand(self, text: str) -> str:
        """``text`` with ``${{ matrix.* }}``, ``${{ runner.os }}`` and
        ``${{ steps.<id>.outputs.* }}`` resolved."""

        def value(match: re.Match[str]) -> str:
            expression = match.group(1)
            parts = expression.split(".")
            if parts[0] == "matrix" and len(parts) == 2 and parts[1] in self.matrix:
                return self.matrix[parts[1]]
            if expression == "runner.os":
                return self.env["RUNNER_OS"]
            if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
                return self.step_outputs.get(parts[1], {}).get(parts[3], "")
            raise WorkflowRunError(f"expression not available to this runner: {expression}")

        return _EXPRESSION.sub(value, text)


Substitute = Callable[[Mapping[str, Any], JobContext], None]


def _read_pairs(path: Path) -> dict[str, str]:
    pairs: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if "=" in line:
                key, value = line.split("=", 1)
                pairs[key] = value
    return pairs


def run_job(
    workflow: Mapping[str, Any],
    job_id: str,
    context: JobContext,
    substitutes: Mapping[str, Substitute],
) -> None:
    """Run every step of ``workflow``'s job ``job_id`` in order; raise on the first failure.

    ``substitutes`` maps an action name (``actions/checkout``, without ``@sha``) to the
    local equivalent of that step.
    """
    job = workflow["jobs"][job_id]
    shell = (workflow.get("defaults") or {}).get("run", {}).get("shell", "bash")
    if shell != "bash":
        raise WorkflowRunError(f"unsupported default shell {shell}")
    default_dir = (job.get("defaults") or {}).get("run", {}).get("working-directory")
    base_env = {**context.env, **(workflow.get("env") or {}), **(job.get("env") or {})}
    extra_path: list[str] = []
    for index, step in enumerate(job["steps"]):
        label = step.get("name") or step.get("uses") or f"step {index}"
        condition = step.get("if")
        if condition not in (None, "${{ !cancelled() }}"):
            raise WorkflowRunError(f"{label}: condition {condition!r} not supported here")
        if "uses" in step:
            action = str(step["uses"]).split("@", 1)[0]
            if action not in substitutes:
                raise WorkflowRunError(f"{label}: no local substitute for {action}")
            context.log.append(f"[uses] {action}")
            substitutes[action](step.get("with") or {}, context)
            # An action's $GITHUB_ENV and $GITHUB_PATH reach the next steps too (as
            # configure-aws-credentials' AWS_* variables do on a runner).
            base_env.update(_read_pairs(Path(context.env["GITHUB_ENV"])))
            extra_path = _github_path(context, extra_path)
            continue
        step_dir = step.get("working-directory") or default_dir
        cwd = context.workspace / context.expand(step_dir) if step_dir else context.workspace
        output = context.runner_temp / f"output-{index}"
        env = {key: context.expand(str(value)) for key, value in base_env.items()}
        env.update({key: context.expand(str(v)) for key, v in (step.get("env") or {}).items()})
        env["PATH"] = os.pathsep.join([*extra_path, env["PATH"]])
        env["GITHUB_OUTPUT"] = str(output)
        script = context.runner_temp / f"step-{index}.sh"
        script.write_text(str(step["run"]), encoding="utf-8")
        context.log.append(f"[run] {label} (in {cwd.relative_to(context.workspace)})")
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        context.log.append(done.stdout[-3000:] + done.stderr[-3000:])
        if done.returncode != 0:
            raise WorkflowRunError(
                f"step {label!r} exited {done.returncode}\n--- script\n{step['run']}"
                f"--- stdout\n{done.stdout[-6000:]}\n--- stderr\n{done.stderr[-6000:]}"
            )
        if "id" in step:
            context.step_outputs[step["id"]] = _read_pairs(output)
        base_env.update(_read_pairs(Path(context.env["GITHUB_ENV"])))
        extra_path = _github_path(context, extra_path)


def _github_path(context: JobContext, current: list[str]) -> list[str]:
    """The directories ``$GITHUB_PATH`` lists, last added first (as a runner prepends)."""
    github_path = Path(context.env["GITHUB_PATH"])
    if github_path.is_file():
        return list(reversed(github_path.read_text(encoding="utf-8").split()))
    return current
