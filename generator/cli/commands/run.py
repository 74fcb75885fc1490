"""``trellis run``: run an ingestion blueprint locally, no Docker, no AWS account."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.cli.options import handle_user_errors
from generator.errors import UserError

if TYPE_CHECKING:
    from generator.local.aws import LocalAws
    from generator.local.resources import LocalResources
    from generator.local.runner import RunSummary
    from generator.model.deployment import Deployment


@click.command("run")
@click.argument("blueprint")
@click.option("--env", default="dev", show_default=True, help="Environment whose settings apply.")
@click.option(
    "--repo",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The repository (the folder with blueprints/ and environments/).",
)
@click.option(
    "--source-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A JSON list of records, served as the blueprint's paginated source.",
)
@click.option("--source-url", help="Fetch from this URL instead of the blueprint's.")
@click.option("--pages", type=click.IntRange(1, 100_000), help="Fetch at most N pages.")
@click.option(
    "--page-size",
    type=click.IntRange(1, 10_000),
    default=20,
    show_default=True,
    help="Records per page when serving --source-file (page pagination uses its size).",
)
@click.option("--keep", is_flag=True, help="Leave the local endpoint running after the run.")
@click.option("--fresh", is_flag=True, help="Start from an empty table and bucket.")
@click.option(
    "--issuer",
    help="AuthFlow: the local OpenID provider's issuer (overrides the blueprint's).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65_535),
    default=8080,
    show_default=True,
    help="AuthFlow: the port on 127.0.0.1 to serve the handlers on (0: a free one).",
)
@click.option(
    "--client-id",
    default="trellis-local",
    show_default=True,
    help="AuthFlow: the client id registered with the local provider.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@handle_user_errors()
def command(
    blueprint: str,
    env: str,
    root: Path,
    source_file: Path | None,
    source_url: str | None,
    pages: int | None,
    page_size: int,
    keep: bool,
    fresh: bool,
    issuer: str | None,
    port: int,
    client_id: str,
    output_format: str,
) -> None:
    """Run BLUEPRINT's real handlers against AWS APIs served locally by moto.

    Creates the pipeline's queue, dead-letter queue, table, versioned bucket, KMS key and
    parameters on 127.0.0.1, runs the retrieval handler against the source (a records
    file served over local HTTP with the blueprint's pagination), then drains the queue
    through the processing handler as the event source mapping would, with partial batch
    failures and the redrive to the DLQ. The table and backups are kept in
    .trellis/local/ so a second run on the same data changes nothing (--fresh: start empty).

    For an AuthFlow, serves its five handlers on 127.0.0.1:--port against the local
    OpenID provider --issuer, with keys generated now and held by moto only, and prints
    what to register with the provider and the URL to open; Ctrl-C stops it.

    \b
    Examples:
      trellis run orders --source-file examples/orders.records.json
      trellis run orders --source-file examples/orders.records.json --keep
      trellis run orders --source-url http://127.0.0.1:8000/v1/orders --pages 3
      trellis run citizen-login --issuer http://127.0.0.1:9000 --port 8080

    Needs moto: pip install 'trellis-iac[local]'. Exit status: 0 done (failed records
    end in the DLQ and are counted), 2 bad input.
    """
    from generator import kind_registry
    from generator.local.progress import Progress
    from generator.local.runner import RunOptions, run_pipeline
    from generator.ops.target import (
        AwsOptions,
        PipelineTarget,
        find_deployment,
        ingestion_resources,
    )
    from generator.pipeline import load_and_resolve

    if source_file is not None and source_url is not None:
        raise UserError.single(
            "--source-url", "--source-file and --source-url exclude each other", hint="pass one"
        )
    _, deployments = load_and_resolve(root)
    deployment = find_deployment(deployments, root, blueprint, env)
    if kind_registry.plugin(deployment.kind).local_run == "login":
        _serve_auth_flow(deployment, issuer=issuer, port=port, client_id=client_id)
        return
    target = PipelineTarget(deployment, ingestion_resources(deployment), AwsOptions())
    if target.resources.retrieve is None and source_file is None:
        raise UserError.single(
            target.deployment.source_file,
            f"{blueprint} is queue-triggered: it has no retrieval to fetch a source",
            hint="pass --source-file records.json; its records are sent to the queue",
        )
    text = output_format == "text"

    def announce(line: str) -> None:
        if text:
            click.echo(line)

    def report(summary: RunSummary) -> None:
        if text:
            click.echo("\n".join(summary.lines()))
            click.echo(f"  logs         {summary.log_file}")
        else:
            click.echo(json.dumps(summary.as_dict(), indent=2, sort_keys=True))

    def on_ready(aws: LocalAws, created: LocalResources, summary: RunSummary) -> None:
        report(summary)
        if keep:
            _keep_serving(aws, created, blueprint, env)

    options = RunOptions(
        root=root,
        source_file=source_file,
        source_url=source_url,
        pages=pages,
        page_size=page_size,
        keep=keep,
        fresh=fresh,
    )
    if text:
        click.echo(f"running {target.deployment.key} locally")
    run_pipeline(
        target,
        options,
        progress=Progress(enabled=text),
        announce=announce,
        on_ready=on_ready,
    )


def _keep_serving(aws: LocalAws, created: LocalResources, blueprint: str, env: str) -> None:
    """--keep: say how to reach the local endpoint, then wait for Ctrl-C."""
    click.echo("\nThe local endpoint keeps running; point the AWS CLI or boto3 at it:", err=True)
    for name, value in aws.environment().items():
        click.echo(f"  export {name}={value}", err=True)
    click.echo(
        f"  aws sqs get-queue-attributes --queue-url {created.dlq_url} "
        "--attribute-names ApproximateNumberOfMessages",
        err=True,
    )
    click.echo(
        f"  trellis dlq inspect {blueprint} --env {env} --endpoint-url {aws.endpoint_url}",
        err=True,
    )
    click.echo("Press Ctrl-C to stop it.", err=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


def _serve_auth_flow(
    deployment: Deployment, *, issuer: str | None, port: int, client_id: str
) -> None:
    """Serve the login flow until Ctrl-C, printing what to register and open."""
    from generator.local.auth import local_issuer, serve_auth_flow

    resolved = local_issuer(deployment, issuer)
    click.echo(f"serving {deployment.key} locally")
    with serve_auth_flow(deployment, issuer=resolved, port=port, client_id=client_id) as flow:
        click.echo("\n".join(flow.lines()))
        click.echo("Press Ctrl-C to stop.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            click.echo("stopped")
