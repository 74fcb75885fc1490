"""Options and error handling shared by the commands."""

from __future__ import annotations

import functools
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from types import MethodType
from typing import ParamSpec, TypeVar

import click

from generator.errors import EXIT_USER_ERROR, UserError

P = ParamSpec("P")
R = TypeVar("R")

repo_argument = click.argument(
    "path",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    required=False,
)

env_option = click.option(
    "--env",
    "envs",
    multiple=True,
    metavar="ENV",
    help="Only these environments (repeatable). Default: every file in environments/.",
)


def handle_user_errors(
    fmt_param: str | None = "output_format",
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Turn a :class:`UserError` into printed diagnostics and exit code 2.

    With ``fmt_param`` naming a command parameter whose value is ``"json"``, the
    diagnostics are printed as JSON on stdout; otherwise as text on stderr. Any other
    exception is an internal error and propagates with its traceback.
    """

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return func(*args, **kwargs)
            except UserError as err:
                if fmt_param and kwargs.get(fmt_param) == "json":
                    click.echo(err.to_json())
                else:
                    count = len(err.diagnostics)
                    for diagnostic in err.diagnostics:
                        click.echo(diagnostic.render(), err=True)
                    noun = "error" if count == 1 else "errors"
                    click.echo(f"\n{count} {noun}; nothing was written.", err=True)
                sys.exit(EXIT_USER_ERROR)

        return wrapper

    return decorate


def examples_last(command: click.Command) -> None:
    """Move the ``Examples:`` paragraph of ``command``'s help (and its subcommands') into
    the epilog, which click prints after the options, so every ``--help`` ends with its
    examples. A command without one is left as it is (a test requires one everywhere)."""
    paragraphs = (command.help or "").split("\n\n")
    for index, paragraph in enumerate(paragraphs):
        lines = [line for line in paragraph.strip("\n").splitlines() if line.strip() != "\b"]
        if lines and lines[0].strip() == "Examples:":
            command.help = "\n\n".join(paragraphs[:index] + paragraphs[index + 1 :]).rstrip()
            command.epilog = textwrap.dedent("\n".join(lines)).strip()
            command.format_epilog = MethodType(_write_examples, command)  # type: ignore[method-assign]
            break
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            examples_last(sub)


def _write_examples(
    command: click.Command, ctx: click.Context, formatter: click.HelpFormatter
) -> None:
    """The examples as written, never re-wrapped, indented like the help text."""
    del ctx
    formatter.write_paragraph()
    for line in (command.epilog or "").splitlines():
        formatter.write(f"{' ' * (formatter.current_indent + 2)}{line}\n" if line else "\n")
