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
    "--full-output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where the complete Markdown goes when --max-chars cuts the review "
    "(default: beside --output as NAME.full.md, else review.full.md).",
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
    full_output: Path | None,
    run_checkov: bool,
    repo: Path | None,
) -> None:
    """Review Terraform plans (`terraform show -json` output), one per root stack.

    \b
    Reads PLAN.json files of any Terraform configuration, trellis's or not (a plan at
    <env>/<blueprint>/plan.json is named <env>/<blueprint>) and shows, in order:
    destructive changes (blocking when the resource holds data or key material, unless
    allowed), IAM changes that widen access (pending ones apart), hints for the reviewer
    (missing moved blocks, force_destroy, deletion protection), weakened security
    settings, checkov on the plan, Terraform's counts, then per-resource details.
    Sensitive values are never printed. When --max-chars cuts the Markdown, the
    complete review is written to --full-output and the cut one names that file.

    \b
    Examples:
      trellis review .trellis/plans/prd/*/plan.json --artifact plan-review-prd
      trellis review plan.json --format json --output review.json --no-checkov

    checkov is found like every tool (see `trellis tools`); when it is installed nowhere
    the review says so and exits 1 (`trellis tools install checkov` provisions it).

    Exit codes: 0 nothing blocks, 1 blocking findings or checkov missing, 2 bad input.
    """
    from generator.policy.skips import reviewed_skips
    from generator.review import render_json, render_markdown, review_plans

    skips = reviewed_skips(repo if repo is not None else Path())
    review = review_plans(
        plans,
        allow_destroy=allow_destroy,
        run_checkov=run_checkov,
        skips=skips,
        repo_root=repo if repo is not None else Path(),
    )
    if review.checkov_missing:
        click.echo(f"error: {review.checkov_missing}", err=True)
    elif run_checkov:
        _warn_on_checkov_version(repo if repo is not None else Path())
    if output_format == "json":
        text = render_json(review)
    else:
        graphs = _graphs(repo, [s.name for s in review.stacks])
        text = render_markdown(review, max_chars=0, graphs=graphs)
        if max_chars and len(text) > max_chars:
            full = full_output or (
                output.with_name(f"{output.stem}.full.md") if output else Path("review.full.md")
            )
            full.parent.mkdir(parents=True, exist_ok=True)
            full.write_text(text, encoding="utf-8")
            text = render_markdown(
                review,
                max_chars=max_chars,
                artifact=artifact,
                graphs=graphs,
                full_file=full.as_posix(),
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


def _warn_on_checkov_version(repo_root: Path) -> None:
    """A checkov of another version than the pinned one ran: say so, naming both."""
    from generator.tools import CHECKOV, Found, locate

    found = locate(CHECKOV, repo_root=repo_root)
    if isinstance(found, Found) and found.warning:
        click.echo(f"warning: {found.warning}", err=True)
