"""``trellis init``: write a commented skeleton blueprint that validates as written."""

from __future__ import annotations

from pathlib import Path

import click

from generator.blueprint.kinds.envelope import SPEC_MODELS
from generator.cli.options import handle_user_errors, repo_argument
from generator.errors import UserError


@click.command("init")
@click.argument("kind", type=click.Choice(list(SPEC_MODELS)), metavar="KIND")
@click.argument("name")
@repo_argument
@click.option(
    "--team",
    default="my-team",
    show_default=True,
    help="metadata.team of the new blueprint (same rule as NAME).",
)
@handle_user_errors(None)
def command(kind: str, name: str, path: Path, team: str) -> None:
    """Write PATH/blueprints/NAME.yaml: a commented blueprint of KIND to edit.

    KIND is IngestionPipeline, AuthFlow or StaticSite. NAME is 3-30 characters of a-z,
    0-9 and '-', starting with a letter. Every field is written out with a comment
    giving its meaning, default and limits; the file validates as written. An existing
    file is never overwritten.

    \b
    Examples:
      trellis init IngestionPipeline orders --team commerce
      trellis init AuthFlow citizen-login --team identity ../platform
      trellis init StaticSite portal && trellis validate

    Exit status: 0 written, 2 bad NAME or the file exists.
    """
    from generator.blueprint.skeletons import write_skeleton

    try:
        written = write_skeleton(path, kind, name, team)
    except OSError as exc:
        raise UserError.single(
            f"blueprints/{name}.yaml",
            f"cannot write the file: {exc.strerror}",
            code="io.write",
        ) from None
    click.echo(f"wrote {written.relative_to(path).as_posix()}: edit it, then run trellis validate")
