"""``trellis pause``: flip the pipeline's stop switch (writes one SSM parameter)."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.ops_options import flip_stop_switch, pipeline_options
from generator.cli.options import handle_user_errors


@click.command("pause")
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
    """Halt BLUEPRINT's retrieval from its next run on, without a deploy.

    Writes the stop parameter the retrieval function reads at the start of every run
    (/trellis/ENV/BLUEPRINT/stop). Records already queued are still processed.

    \b
    Examples:
      trellis pause orders --env prd
    """
    flip_stop_switch(
        paused=True,
        blueprint=blueprint,
        env=env,
        root=root,
        profile=profile,
        region=region,
        endpoint_url=endpoint_url,
        output_format=output_format,
    )
