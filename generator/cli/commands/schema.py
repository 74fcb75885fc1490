"""``trellis schema``: write the JSON Schemas of blueprints and environments for editors."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.options import handle_user_errors, repo_argument
from generator.errors import UserError
from generator.write.home import SCHEMA_DIR


@click.command("schema")
@repo_argument
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="DIR",
    help="Write the two files here instead of PATH/.trellis/schema/.",
)
@click.option(
    "--print",
    "print_kind",
    type=click.Choice(["blueprint", "environment"]),
    default=None,
    help="Print that schema to stdout instead of writing files.",
)
@handle_user_errors(None)
def command(path: Path, out: Path | None, print_kind: str | None) -> None:
    """Write JSON Schemas (draft 2020-12) for editor completion and CI checks.

    Writes blueprint.schema.json and environment.schema.json into PATH/.trellis/schema/
    (git-ignored, outside the rendered build/), where the modeline at the top of each
    blueprint and environment file finds them:

    \b
      # yaml-language-server: $schema=../.trellis/schema/blueprint.schema.json
      # yaml-language-server: $schema=../.trellis/schema/environment.schema.json

    The schemas come from the models `trellis validate` uses, so they complete every
    field, enum and range; cross-field rules are checked only by `trellis validate`.
    The output is byte-identical on every run.

    \b
    Examples:
      trellis schema                          # ./.trellis/schema/*.schema.json
      trellis schema --out .vscode/schemas    # somewhere else
      trellis schema --print blueprint | jq '.properties.kind'
    """
    from generator.blueprint import json_schema
    from generator.write.home import ensure_home

    if print_kind is not None:
        schema = (
            json_schema.blueprint_schema()
            if print_kind == "blueprint"
            else json_schema.environment_schema()
        )
        click.echo(json_schema.dumps(schema), nl=False)
        return
    directory = out if out is not None else path / SCHEMA_DIR
    try:
        if out is None:
            ensure_home(path)
        written = json_schema.write_schemas(directory)
    except OSError as exc:
        raise UserError.single(
            str(directory),
            f"cannot write the schemas: {exc.strerror}",
            hint="pass a writable directory with --out",
            code="io.write",
        ) from None
    for file in written:
        click.echo(f"wrote {file.as_posix()}")
