"""``trellis validate``: load and resolve every blueprint × environment, or list every error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.cli.options import env_option, handle_user_errors, repo_argument
from generator.kind_registry import plugin

if TYPE_CHECKING:
    from generator.model.deployment import Deployment


def summarize(deployment: Deployment) -> dict[str, object]:
    """The facts a reviewer wants in one line: what is built and what it is called."""
    resources = deployment.resources
    summary: dict[str, object] = {
        "stack": deployment.key,
        "kind": deployment.kind,
        "team": deployment.team,
        "functions": [f.name for f in resources.functions],
    }
    summary.update(plugin(deployment.kind).summary(resources))
    return summary


def _line(summary: dict[str, object]) -> str:
    details = []
    for key in ("trigger", "queue", "table", "api", "bucket", "waf"):
        if key in summary:
            details.append(f"{key}={summary[key]}")
    functions = summary["functions"]
    count = len(functions) if isinstance(functions, list) else 0
    return (
        f"  ok  {summary['stack']:<28} {summary['kind']:<18} "
        f"{count} function{'s' if count != 1 else ''}  " + "  ".join(details)
    )


@click.command("validate")
@repo_argument
@env_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json prints machine-readable records.",
)
@handle_user_errors()
def command(path: Path, envs: tuple[str, ...], output_format: str) -> None:
    """Check every blueprint and environment under PATH; print every mistake.

    Reads PATH/blueprints/*.yaml and PATH/environments/*.yaml, validates each against
    the trellis/v1 format, applies each environment's overrides and derives resource
    names. Nothing is written.

    \b
    Examples:
      trellis validate                  # the repository in the current directory
      trellis validate ../platform --env prd
      trellis validate --format json    # errors as records, for editors and CI

    Every error names the file, line, column, field, the value found, what is allowed
    and a fix. Exit status: 0 valid, 2 invalid input.
    """
    from generator.pipeline import load_and_resolve

    repository, deployments = load_and_resolve(path, envs)
    summaries = [summarize(d) for d in deployments]
    if output_format == "json":
        click.echo(json.dumps({"errors": [], "stacks": summaries}, indent=2, sort_keys=True))
        return
    envs_seen = sorted({d.target.env for d in deployments})
    click.echo(
        f"{_count(len(repository.blueprints), 'blueprint')} × "
        f"{_count(len(envs_seen), 'environment')} "
        f"({', '.join(envs_seen)}): all valid"
    )
    for summary in summaries:
        click.echo(_line(summary))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
