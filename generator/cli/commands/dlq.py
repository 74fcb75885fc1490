"""``trellis dlq inspect|redrive``: the dead-letter queue: what is in it, and moving it back."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.ops_options import pipeline_options, resolve, since_ms
from generator.cli.options import handle_user_errors


@click.group("dlq")
def command() -> None:
    """Inspect and redrive an ingestion pipeline's dead-letter queue.

    \b
    Examples:
      trellis dlq inspect orders --env prd
      trellis dlq redrive orders --env prd --reason "store failed" --dry-run
    """


@command.command("inspect")
@pipeline_options
@click.option("--since", default="14d", show_default=True, help="How far back to read the logs.")
@handle_user_errors()
def inspect_command(
    blueprint: str,
    env: str,
    root: Path,
    profile: str | None,
    region: str | None,
    endpoint_url: str | None,
    output_format: str,
    since: str,
) -> None:
    """Dead-lettered messages grouped by failure reason; never deletes.

    Reasons come from the processing function's "record failed" log lines (joined on
    the message id, which SQS keeps when it moves a message to the DLQ).

    \b
    Examples:
      trellis dlq inspect orders --env prd
      trellis dlq inspect orders --env dev --endpoint-url http://127.0.0.1:5000 --format json
    """
    from generator.ops.dlq import dump, inspect
    from generator.ops.target import aws_errors_as_user_errors

    target = resolve(root, blueprint, env, profile, region, endpoint_url)
    report = aws_errors_as_user_errors(inspect)(target, since_ms=since_ms(since))
    if output_format == "json":
        click.echo(dump(report.as_dict()))
    else:
        click.echo("\n".join(report.lines()))


@command.command("redrive")
@pipeline_options
@click.option("--reason", help="Only messages whose reason contains this text.")
@click.option("--dry-run", is_flag=True, help="Say what would move; move nothing.")
@click.option("--since", default="14d", show_default=True, help="How far back to read the logs.")
@handle_user_errors()
def redrive_command(
    blueprint: str,
    env: str,
    root: Path,
    profile: str | None,
    region: str | None,
    endpoint_url: str | None,
    output_format: str,
    reason: str | None,
    dry_run: bool,
    since: str,
) -> None:
    """Move dead-lettered messages back to the source queue (all, or one --reason).

    A message is deleted from the DLQ only after SQS accepted its copy; accepted copies
    are journalled in .trellis/redrive/, so an interrupted redrive, run again, loses and
    duplicates nothing. A duplicate delivery would be harmless anyway: the processor
    writes nothing for content it already stores.

    \b
    Examples:
      trellis dlq redrive orders --env prd --reason "store failed" --dry-run
      trellis dlq redrive orders --env prd --reason "store failed"
    """
    from generator.ops.dlq import dump, journal_path, redrive
    from generator.ops.target import aws_errors_as_user_errors

    target = resolve(root, blueprint, env, profile, region, endpoint_url)
    report = aws_errors_as_user_errors(redrive)(
        target,
        journal=journal_path(root, target),
        reason=reason,
        dry_run=dry_run,
        since_ms=since_ms(since),
    )
    if output_format == "json":
        click.echo(dump(report.as_dict()))
    else:
        click.echo("\n".join(report.lines()))
