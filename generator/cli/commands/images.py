"""``trellis images``: the container images of ``package: image`` blueprints."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import click

from generator.cli.options import handle_user_errors


@click.group("images")
def command() -> None:
    """Container images of package: image blueprints (their base images).

    \b
    Examples:
      trellis images bases
      trellis images bases --update
    """


@command.command("bases")
@click.option(
    "--update",
    is_flag=True,
    help="Resolve every row's tag to its current digest (skopeo or docker buildx; needs "
    "network to the registry) and rewrite the table in place.",
)
@click.option(
    "--table",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="The table to read or update (default: trellis's own generator/images/bases.toml).",
)
@handle_user_errors(fmt_param=None)
def bases(update: bool, table: Path | None) -> None:
    """List the reviewed Lambda base images, pinned by digest, or refresh them.

    Every rendered Dockerfile is FROM one row of this table; `trellis check` refuses any
    other base. Refresh it at least monthly and whenever AWS announces a runtime security
    update, then review the diff, re-render and commit.

    Exit codes: 0 listed or updated, 1 the registry could not be asked, 2 a bad table.

    \b
    Examples:
      trellis images bases
      trellis images bases --update          # maintainers, where the network allows
    """
    from generator.errors import UserError
    from generator.images.bases import BASES_FILE, BaseTableError, parse_bases
    from generator.images.update import RegistryError, registry_resolver, update_table

    path = table or BASES_FILE
    try:
        parse_bases(path.read_text(encoding="utf-8"), str(path))
    except BaseTableError as exc:
        raise UserError.single(
            str(path), str(exc), hint="fix the row as the table's header describes"
        ) from exc
    if not update:
        for row in parse_bases(path.read_text(encoding="utf-8"), str(path)):
            click.echo(f"{row.runtime:<11} {row.architecture:<7} {row.pinned}")
            click.echo(f"{'':<19} reviewed {row.reviewed}: {row.source}")
        return
    try:
        client, resolve = registry_resolver()
        today = datetime.datetime.now(datetime.UTC).date().isoformat()
        results, text = update_table(path, resolve, client, today)
    except RegistryError as exc:
        click.echo(f"error: {exc}", err=True)
        click.echo(f"{path} is unchanged.", err=True)
        sys.exit(1)
    path.write_text(text, encoding="utf-8")
    for result in results:
        state = "changed" if result.changed else "unchanged"
        click.echo(
            f"{result.runtime:<11} {result.architecture:<7} {state}: {result.image}@{result.after}"
        )
    click.echo(f"{path} rewritten ({sum(r.changed for r in results)} changed); review the diff")
