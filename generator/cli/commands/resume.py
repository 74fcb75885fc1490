"""``trellis resume``: flip the pipeline's stop switch (writes one SSM parameter)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from generator.cli.ops_options import pipeline_options, resolve
from generator.cli.options import handle_user_errors


@click.command("resume")
@pipeline_options
@handle_user_errors()
def command(
    blueprint: str,
    env: str,
    root: Path,
    profile: str | None,
    region: str | None,
    endpoint_url: str | None,
    output_format: str,
) -> None:
    """Let BLUEPRINT's retrieval run again after `trellis pause`.

    Writes the stop parameter the retrieval function reads at the start of every run
    (/trellis/ENV/BLUEPRINT/stop). Records already queued are still processed.

    \b
    Examples:
      trellis resume orders --env prd
    """
    from generator.ops.control import set_switch
    from generator.ops.target import aws_errors_as_user_errors

    target = resolve(root, blueprint, env, profile, region, endpoint_url)
    state = aws_errors_as_user_errors(set_switch)(target, paused=False)
    if output_format == "json":
        click.echo(json.dumps(state.as_dict(), indent=2, sort_keys=True))
        return
    was = state.previous or "never set (running)"
    click.echo(f"{target.deployment.key}: {state.parameter} = {state.value} (was {was})")
