"""``trellis trace``: one correlation id across the functions' logs, in time order."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from generator.cli.ops_options import pipeline_options, since_ms
from generator.cli.options import handle_user_errors


@click.command("trace")
@click.argument("correlation_id")
@functools.partial(pipeline_options, blueprint_required=False)
@click.option(
    "--since", default="1h", show_default=True, help="How far back: 1h, 30m, 7d or a time."
)
@handle_user_errors()
def command(
    correlation_id: str,
    blueprint: str | None,
    env: str,
    root: Path,
    profile: str | None,
    region: str | None,
    endpoint_url: str | None,
    output_format: str,
    since: str,
) -> None:
    """Every log line of CORRELATION_ID in the retrieval and processing functions.

    Without BLUEPRINT every ingestion pipeline of --env is searched. Lines come from
    CloudWatch Logs (filter_log_events, paginated), in time order, followed by the
    backup object versions written under that id.

    \b
    Examples:
      trellis trace 0f6c3b1e-... --env prd --since 6h
      trellis trace local-20261202T124528-93f9dc orders --env dev --endpoint-url http://127.0.0.1:5000
    """
    from generator.ops.dlq import dump
    from generator.ops.target import (
        AwsOptions,
        aws_errors_as_user_errors,
        resolve_pipeline,
        resolve_pipelines,
    )
    from generator.ops.trace import trace

    options = AwsOptions(profile, region, endpoint_url)
    targets = (
        [resolve_pipeline(root, blueprint, env, options)]
        if blueprint
        else resolve_pipelines(root, env, options)
    )
    start = since_ms(since)
    reports = [
        aws_errors_as_user_errors(trace)(
            target, correlation_id, since_ms=start, missing_ok=not blueprint
        )
        for target in targets
    ]
    found = [r for r in reports if r.lines] or reports[:1]
    if output_format == "json":
        documents = [
            r.as_dict() | {"blueprint": t.deployment.blueprint}
            for r, t in zip(reports, targets, strict=True)
            if r in found
        ]
        click.echo(dump(documents[0] if blueprint else documents))
        return
    for report, target in zip(reports, targets, strict=True):
        if report in found:
            if not blueprint:
                click.echo(f"[{target.deployment.key}]")
            click.echo("\n".join(report.text()))
