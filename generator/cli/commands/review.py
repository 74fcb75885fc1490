"""``trellis review``: plan JSON → a review for people (Markdown) or machines (JSON)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.options import handle_user_errors


@click.command("review")
@click.argument("plans", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="Markdown for people, JSON for tools.",
)
@click.option(
    "--max-chars",
    type=click.IntRange(min=0),
    default=60_000,
    show_default=True,
    help="Hard cap on the Markdown length (GitHub comments stop at 65,536); 0: none.",
)
@click.option(
    "--allow-destroy",
    "allow_destroy",
    multiple=True,
    metavar="ADDRESS",
    help="An address (or STACK:ADDRESS) whose delete or replace is intended (repeatable).",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the review to this file instead of standard output.",
)
@click.option(
    "--artifact",
    default=None,
    metavar="NAME",
    help="Where the full review is published, named in the Markdown when it is cut.",
)
@click.option(
    "--checkov/--no-checkov",
    "run_checkov",
    default=True,
    show_default=True,
    help="Run checkov on the plans (one run for all of them).",
)
@click.option(
    "--repo",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Repository whose blueprints the plans come from; the Markdown then shows the "
    "data flow of each reviewed blueprint. Default: the current directory, if it has "
    "blueprints/.",
)
@handle_user_errors()
def command(
    plans: tuple[Path, ...],
    output_format: str,
    max_chars: int,
    allow_destroy: tuple[str, ...],
    output: Path | None,
    artifact: str | None,
    run_checkov: bool,
    repo: Path | None,
) -> None:
    """Review Terraform plans (`terraform show -json` output), one per root stack.

    \b
    Reads PLAN.json files named <env>/<blueprint>/plan.json (the root stack's name is
    taken from the path) and shows, in order: destructive changes (blocking on stateful
    resources unless allowed), IAM changes that widen access, weakened security
    settings, failed checkov checks, counts per stack, then per-resource details.
    Sensitive values are never printed.

    \b
    Examples:
      trellis review build/prd/*/plan.json --artifact plan-review-prd
      trellis review plan.json --format json --output review.json --no-checkov

    Exit codes: 0 nothing blocks, 1 blocking findings, 2 bad input.
    """
    from generator.policy.skips import reviewed_skips
    from generator.review import render_json, render_markdown, review_plans

    skips = reviewed_skips(repo if repo is not None else Path())
    review = review_plans(plans, allow_destroy=allow_destroy, run_checkov=run_checkov, skips=skips)
    text = (
        render_json(review)
        if output_format == "json"
        else render_markdown(
            review,
            max_chars=max_chars,
            artifact=artifact,
            graphs=_graphs(repo, [s.name for s in review.stacks]),
        )
    )
    if output is None:
        click.echo(text, nl=False)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    sys.exit(review.exit_code)


def _graphs(repo: Path | None, stacks: list[str]) -> dict[str, str]:
    """Mermaid graphs of the reviewed stacks whose blueprint is in ``repo``.

    An explicit ``--repo`` that does not load is a user error; the implicit current
    directory is only used when it looks like a trellis repository.
    """
    from generator.graph.mermaid import to_mermaid
    from generator.graph.model import graph_of
    from generator.pipeline import load_and_resolve

    root = repo if repo is not None else Path()
    if repo is None and not (root / "blueprints").is_dir():
        return {}
    _, deployments = load_and_resolve(root)
    wanted = set(stacks)
    return {d.key: to_mermaid(graph_of(d)) for d in deployments if d.key in wanted}
