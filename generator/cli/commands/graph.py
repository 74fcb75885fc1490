"""``trellis graph``: the data flow of a blueprint, as Mermaid or SVG."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.options import handle_user_errors, repo_argument
from generator.errors import UserError


@click.command("graph")
@click.argument("blueprint")
@repo_argument
@click.option(
    "--env",
    "env",
    default=None,
    metavar="ENV",
    help="Environment whose overrides apply. Default: the first by name.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["mermaid", "svg"]),
    default="mermaid",
    show_default=True,
    help="mermaid renders inline on GitHub; svg is a standalone picture.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
@handle_user_errors(fmt_param=None)
def command(
    blueprint: str, path: Path, env: str | None, output_format: str, output: Path | None
) -> None:
    """Draw the data flow of BLUEPRINT: source, functions, queues, stores, alarms.

    \b
    Examples:
      trellis graph orders                       # Mermaid, paste into Markdown
      trellis graph portal --env prd --format svg --output portal.svg

    Exit status: 0 drawn, 2 unknown blueprint or environment, or invalid input.
    """
    from generator.blueprint.validation import suggest
    from generator.graph.mermaid import to_mermaid
    from generator.graph.model import graph_of
    from generator.graph.svg import to_svg
    from generator.pipeline import load_and_resolve

    _, deployments = load_and_resolve(path, (env,) if env else ())
    matching = [d for d in deployments if d.blueprint == blueprint]
    if not matching:
        names = sorted({d.blueprint for d in deployments})
        close = suggest(blueprint, names)
        raise UserError.single(
            f"blueprints/{blueprint}.yaml",
            f"no blueprint is named {blueprint!r}",
            hint=f"did you mean {close!r}?" if close else f"one of: {', '.join(names)}",
        )
    graph = graph_of(matching[0])
    text = to_mermaid(graph) if output_format == "mermaid" else to_svg(graph)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
