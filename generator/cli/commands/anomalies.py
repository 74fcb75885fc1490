"""``trellis anomalies``: payloads that fail shaping or deviate from the shape seen so far."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.ops_options import pipeline_options, resolve, since_ms
from generator.cli.options import handle_user_errors


@click.command("anomalies")
@pipeline_options
@click.option("--since", default="7d", show_default=True, help="How far back: 1h, 7d or a time.")
@handle_user_errors()
def command(
    blueprint: str,
    env: str,
    root: Path,
    profile: str | None,
    region: str | None,
    endpoint_url: str | None,
    output_format: str,
    since: str,
) -> None:
    """Report missing key paths, type changes, new keys, size outliers and shaping failures.

    Reads the backup bucket's versions since --since and the DLQ (without deleting).

    \b
    Examples:
      trellis anomalies orders --env prd --since 2d
    """
    from generator.ops.anomalies import anomalies
    from generator.ops.dlq import dump
    from generator.ops.target import aws_errors_as_user_errors

    target = resolve(root, blueprint, env, profile, region, endpoint_url)
    report = aws_errors_as_user_errors(anomalies)(target, since_ms=since_ms(since))
    if output_format == "json":
        click.echo(dump(report.as_dict()))
    else:
        click.echo("\n".join(report.lines()))
