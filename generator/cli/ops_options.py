"""Options shared by the commands that operate on a deployed pipeline.

Each such command takes ``BLUEPRINT --env ENV`` and resolves every resource name from the
deployment model; ``--profile``, ``--region`` and ``--endpoint-url`` choose the account
(the standard AWS credential chain otherwise), ``--format json`` prints records.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from generator.errors import UserError

F = TypeVar("F", bound=Callable[..., Any])

_DURATION = re.compile(r"^(\d+)([smhdw])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}


def since_ms(value: str, *, option: str = "--since") -> int:
    """``1h``, ``30m``, ``7d`` (before now) or an ISO-8601 time, as ms since the epoch.

    Raises:
        UserError: neither a duration nor a timestamp.
    """
    match = _DURATION.match(value.strip())
    if match:
        return int((time.time() - int(match.group(1)) * _SECONDS[match.group(2)]) * 1000)
    return int(parse_time(value, option=option).timestamp() * 1000)


def parse_time(value: str, *, option: str = "--at") -> datetime:
    """An ISO-8601 timestamp (``Z`` or an offset; UTC when it has neither).

    Raises:
        UserError: not a timestamp.
    """
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UserError.single(
            option,
            f"{value!r} is not a time",
            hint="write an ISO-8601 time like 2026-12-02T09:30:00Z, or a duration like 1h, 30m, 7d",
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def pipeline_options(func: F, *, blueprint_required: bool = True) -> F:
    """``BLUEPRINT --env``, ``--repo``, the AWS options and ``--format``."""
    decorators = [
        click.argument("blueprint", required=blueprint_required),
        click.option("--env", required=True, help="The environment the pipeline runs in."),
        click.option(
            "--repo",
            "root",
            type=click.Path(file_okay=False, path_type=Path),
            default=".",
            show_default=True,
            help="The repository with blueprints/ and environments/.",
        ),
        click.option("--profile", help="AWS profile (default: the standard credential chain)."),
        click.option("--region", help="AWS region (default: the environment's)."),
        click.option(
            "--endpoint-url",
            help="A local endpoint, e.g. the one `trellis run --keep` prints.",
        ),
        click.option(
            "--format",
            "output_format",
            type=click.Choice(["text", "json"]),
            default="text",
            show_default=True,
        ),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def resolve(
    root: Path,
    blueprint: str,
    env: str,
    profile: str | None,
    region: str | None,
    endpoint_url: str | None,
) -> Any:
    """The :class:`~generator.ops.target.PipelineTarget` the options name."""
    from generator.ops.target import AwsOptions, resolve_pipeline

    return resolve_pipeline(root, blueprint, env, AwsOptions(profile, region, endpoint_url))


def flip_stop_switch(
    *,
    paused: bool,
    blueprint: str,
    env: str,
    root: Path,
    profile: str | None,
    region: str | None,
    endpoint_url: str | None,
    output_format: str,
) -> None:
    """Write the pipeline's stop parameter (``trellis pause`` and ``trellis resume``).

    AWS errors a user can fix (no credentials, no such parameter path, access denied)
    become :class:`~generator.errors.UserError` with the fix.
    """
    import json

    from generator.ops.control import set_switch
    from generator.ops.target import aws_errors_as_user_errors

    target = resolve(root, blueprint, env, profile, region, endpoint_url)
    state = aws_errors_as_user_errors(set_switch)(target, paused=paused)
    if output_format == "json":
        click.echo(json.dumps(state.as_dict(), indent=2, sort_keys=True))
        return
    was = state.previous or "never set (running)"
    click.echo(f"{target.deployment.key}: {state.parameter} = {state.value} (was {was})")
