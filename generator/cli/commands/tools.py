"""``trellis tools``: which external tools trellis runs, their versions and where they are."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.commands.tools_install import install_command
from generator.cli.options import handle_user_errors


@click.group("tools", invoke_without_command=True)
@click.option(
    "--repo",
    "path",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The repository whose .venv-checkov / node_modules count (it and every parent).",
)
@click.pass_context
@handle_user_errors(None)
def command(ctx: click.Context, path: Path) -> None:
    """List checkov and actionlint: pinned version, version found, where, or what to run.

    \b
    Each tool is looked up in this order: its flag (trellis check --checkov PATH), its
    variable (TRELLIS_CHECKOV, TRELLIS_NODE_MODULES), the project's .venv-checkov or
    node_modules (--repo and every directory above it), the trellis tools cache
    ($XDG_CACHE_HOME/trellis/tools, default ~/.cache), then PATH.

    \b
    Examples:
      trellis tools                 # what is found where
      trellis tools install         # provision the pinned versions (idempotent)

    Exit codes: 0 every tool found, 1 a tool is missing.
    """
    if ctx.invoked_subcommand is not None:
        return
    from generator.tools import TOOLS, Missing, locate
    from generator.tools.locations import display

    missing = 0
    rows = []
    for tool in TOOLS.values():
        found = locate(tool, repo_root=path)
        if isinstance(found, Missing):
            missing += 1
            rows.append((tool.name, tool.version, "missing", f"{found.reason}; fix: {found.fix}"))
            continue
        where = f"{found.detail}: {display(found.path)}"
        rows.append((tool.name, tool.version, found.version or "unknown", where))
        if found.warning:
            click.echo(f"warning: {found.warning}", err=True)
    width = max(len(r[0]) for r in rows)
    click.echo(f"{'tool':<{width}}  {'pinned':<8}  {'found':<8}  where")
    for name, pinned, version, where in rows:
        click.echo(f"{name:<{width}}  {pinned:<8}  {version:<8}  {where}")
    sys.exit(1 if missing else 0)


command.add_command(install_command)
