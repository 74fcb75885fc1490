"""``trellis init``: write a commented skeleton blueprint or environment that validates as
written."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.options import handle_user_errors, repo_argument
from generator.errors import UserError
from generator.kind_registry import FOLDERS

ENVIRONMENT = "environment"
"""The KIND that writes an environment (``generator.blueprint.skeletons.ENVIRONMENT``)."""


@click.command("init")
@click.argument("kind", type=click.Choice([*FOLDERS, ENVIRONMENT]), metavar="KIND|environment")
@click.argument("name")
@repo_argument
@click.option(
    "--team",
    default="my-team",
    show_default=True,
    help="metadata.team of the new blueprint (same rule as NAME).",
)
@click.option(
    "--account-id",
    default="123456789012",
    show_default=True,
    help="environment: the AWS account (12 digits).",
)
@click.option(
    "--region", default="ap-southeast-1", show_default=True, help="environment: the AWS region."
)
@click.option(
    "--repository",
    default="my-org/my-repo",
    show_default=True,
    help="environment: the GitHub owner/name whose workflows deploy it.",
)
@handle_user_errors(None)
def command(
    kind: str, name: str, path: Path, team: str, account_id: str, region: str, repository: str
) -> None:
    """Write a commented blueprint or environment to edit; it validates as written.

    KIND is IngestionPipeline, AuthFlow or StaticSite (writes PATH/blueprints/NAME.yaml)
    or environment (writes PATH/environments/NAME.yaml). NAME is 3-30 characters of a-z,
    0-9 and '-', starting with a letter. Every field is written out with a comment
    giving its meaning, default and limits. An existing file is never overwritten.
    Also writes PATH/.trellis/.gitignore, so the plans, reviews and schemas trellis keeps
    there stay out of git.

    Exit status: 0 written, 2 bad NAME or option, or the file exists.

    \b
    Examples:
      trellis init environment dev --account-id 111111111111 --repository acme/data
      trellis init IngestionPipeline orders --team commerce
      trellis init AuthFlow citizen-login --team identity ../platform
      trellis init StaticSite portal && trellis validate
    """
    from generator.blueprint.skeletons import write_environment_skeleton, write_skeleton

    folder = "environments" if kind == ENVIRONMENT else "blueprints"
    try:
        if kind == ENVIRONMENT:
            written = write_environment_skeleton(path, name, account_id, region, repository)
        else:
            written = write_skeleton(path, kind, name, team)
    except OSError as exc:
        raise UserError.single(
            f"{folder}/{name}.yaml",
            f"cannot write the file: {exc.strerror}",
            code="io.write",
        ) from None
    click.echo(f"wrote {written.relative_to(path).as_posix()}: edit it, then run trellis validate")
