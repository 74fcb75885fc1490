"""``trellis trace``: one correlation id across both functions' logs, in time order."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.ops_options import pipeline_options, resolve, since_ms
from generator.cli.options import handle_user_errors


@click.command("trace")
@click.argument("correlation_id")
@pipeline_options
@click.option(
    "--since", default="1h", show_default=True, help="How far back: 1h, 30m, 7d or a time."
)
@handle_user_errors()
def command(
    correlation_id: str,
    blueprint: str,
    env: str,
    root: Path,
    profile: str | None,
    region: str | None,
    endpoint_url: str | None,
    output_format: str,
    since: str,
) -> None:
    """Every log line of CORRELATION_ID in BLUEPRINT's retrieval and processing functions.

    Lines come from CloudWatch Logs (filter_log_events, paginated), in time order,
    followed by the backup object versions written under that id.

    \b
    Examples:
      trellis trace 0f6c3b1e-... orders --env prd --since 6h
      trellis trace local-20261202T124528-93f9dc orders --env dev --endpoint-url http://127.0.0.1:5000
    """
    from generator.ops.dlq import dump
    from generator.ops.target import aws_errors_as_user_errors
    from generator.ops.trace import trace

    target = resolve(root, blueprint, env, profile, region, endpoint_url)
    report = aws_errors_as_user_errors(trace)(target, correlation_id, since_ms=since_ms(since))
    if output_format == "json":
        click.echo(dump(report.as_dict()))
    else:
        click.echo("\n".join(report.text()))
