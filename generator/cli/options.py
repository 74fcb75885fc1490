"""Options and error handling shared by the commands."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
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
