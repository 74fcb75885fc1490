"""``trellis restore``: table items rebuilt from backup versions as of a time (writes)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.ops_options import parse_time, pipeline_options, resolve
from generator.cli.options import handle_user_errors


@click.command("restore")
@pipeline_options
@click.option(
    "--at", "at", required=True, help="The time to restore to (ISO-8601, UTC by default)."
)
@click.option("--key", help="Only this record key.")
@click.option("--dry-run", is_flag=True, help="Say what would be written; write nothing.")
@click.option("--restart", is_flag=True, help="Ignore the progress of an interrupted run.")
@handle_user_errors()
def command(
    blueprint: str,
    env: str,
    root: Path,
    profile: str | None,
    region: str | None,
    endpoint_url: str | None,
    output_format: str,
    at: str,
    key: str | None,
    dry_run: bool,
    restart: bool,
) -> None:
    """Rebuild BLUEPRINT's items from the backup bucket as they were at --at.

    Writes only items that differ, each conditionally (an item the pipeline changes
    meanwhile is skipped, not overwritten). Resumable: progress is kept in
    .trellis/restore/ and a re-run continues; a second run writes nothing.

    \b
    Examples:
      trellis restore orders --env prd --at 2026-12-02T09:00:00Z --dry-run
      trellis restore orders --env prd --at 2026-12-02T09:00:00Z --key A-00042
    """
    from generator.ops.dlq import dump
    from generator.ops.restore import RestorePlan, progress_path, restore
    from generator.ops.target import aws_errors_as_user_errors

    moment = parse_time(at)
    target = resolve(root, blueprint, env, profile, region, endpoint_url)
    plan = RestorePlan(
        at=moment,
        key=key,
        dry_run=dry_run,
        progress_file=progress_path(root, target, moment),
        restart=restart,
    )
    live = output_format == "text" and sys.stderr.isatty()

    def on_progress(done: int, total: int) -> None:
        if live:
            click.echo(f"\r\x1b[2Krestoring {done}/{total}", err=True, nl=False)

    report = aws_errors_as_user_errors(restore)(target, plan, on_progress=on_progress)
    if live:
        click.echo("", err=True)
    if output_format == "json":
        click.echo(dump(report.as_dict()))
    else:
        click.echo("\n".join(report.lines()))
