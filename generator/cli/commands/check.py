"""``trellis check``: render (or read ``build/``), run every validator, print one report."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.cli.options import env_option, handle_user_errors
from generator.errors import UserError

if TYPE_CHECKING:
    from generator.check.context import CheckContext
    from generator.check.outcome import CheckReport
    from generator.check.shards import Shard

FORMAT_CHOICES = ("table", "json", "sarif", "junit", "github")


def render_before_check(repo_root: Path, envs: tuple[str, ...]) -> None:
    """The one place ``trellis check`` renders: blueprints → ``<repo_root>/build``.

    With ``--env`` only those environments are re-rendered; the others keep their files.
    Bad input raises :class:`UserError` and leaves ``build/`` as it was.
    """
    from generator.pipeline import render_repository

    render_repository(repo_root, envs, keep_other_envs=bool(envs))


def merge_reports_to(
    reports: tuple[Path, ...], output_format: str | None, output_file: Path | None
) -> None:
    """``trellis check --merge``: write the merged report, exit as the full check would."""
    from generator.check.report.merge import merge_files

    text, exit_code, written = merge_files(reports, output_format)
    if output_file is None:
        click.echo(text, nl=False)
    else:
        output_file.parent.mkdir(parents=True, exist_ok=True)
        output_file.write_text(text, encoding="utf-8")
        click.echo(f"merged {len(reports)} {written} reports into {output_file}", err=True)
    sys.exit(exit_code)


def parse_report_targets(specs: tuple[str, ...]) -> list[tuple[str, Path]]:
    """``--report sarif=trellis.sarif`` → ``[("sarif", Path("trellis.sarif"))]``.

    Raises :class:`UserError` naming the value when it is not ``FORMAT=FILE`` with one of
    the report formats.
    """
    targets = []
    for spec in specs:
        fmt, sep, file = spec.partition("=")
        if not sep or fmt not in FORMAT_CHOICES or not file:
            raise UserError.single(
                "--report",
                f"{spec!r} is not FORMAT=FILE with FORMAT one of {', '.join(FORMAT_CHOICES)}",
                hint="for example --report sarif=trellis.sarif --report junit=trellis.junit.xml",
            )
        targets.append((fmt, Path(file)))
    return targets


@click.command("check")
@click.argument("paths", nargs=-1, metavar="[PATH | REPORT...]", type=click.Path(path_type=Path))
@env_option
@click.option(
    "--policies",
    "policy_dirs",
    multiple=True,
    metavar="DIR",
    type=click.Path(path_type=Path),
    help="More checkov policy directories (repeatable), after policies/checkov.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMAT_CHOICES),
    default="table",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--output",
    "output_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to FILE instead of standard output.",
)
@click.option(
    "--report",
    "report_specs",
    multiple=True,
    metavar="FORMAT=FILE",
    help="Also write the report in FORMAT to FILE (repeatable), from the same run.",
)
@click.option("--no-render", is_flag=True, help="Check the existing build/ without rendering.")
@click.option(
    "--checkov",
    "checkov_path",
    metavar="PATH",
    help="The checkov executable (default: $TRELLIS_CHECKOV, the project's .venv-checkov, "
    "`trellis tools install`'s copy, then PATH; see `trellis tools`).",
)
@click.option(
    "--only",
    "only",
    multiple=True,
    metavar="VALIDATOR",
    help="Run only these validators (repeatable); the others are not reported.",
)
@click.option(
    "--jobs",
    "jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Processes to run at once (checkov groups; default: the CPUs available to "
    "trellis, following CPU affinity and the cgroup's CPU quota).",
)
@click.option(
    "--shard",
    "shard_spec",
    metavar="K/N",
    help="Check only shard K of N: a deterministic, balanced share of the stacks "
    "(shard 1 also checks the shared files and workflows). Merge the N reports with --merge.",
)
@click.option(
    "--merge",
    "merge",
    is_flag=True,
    help="Merge the shard reports given as arguments (SARIF, JSON or JUnit, as --shard "
    "wrote them) into the report the unsharded check writes; checks nothing itself.",
)
@handle_user_errors()
def command(
    paths: tuple[Path, ...],
    envs: tuple[str, ...],
    policy_dirs: tuple[Path, ...],
    output_format: str,
    output_file: Path | None,
    report_specs: tuple[str, ...],
    no_render: bool,
    checkov_path: str | None,
    only: tuple[str, ...],
    jobs: int | None,
    shard_spec: str | None,
    merge: bool,
) -> None:
    """Prove the rendered tree: HCL, fmt, provider schema, checkov, IAM lint,
    terraform validate (offline) and the GitHub workflows.

    \b
    Examples:
      trellis check                          # render, then check everything
      trellis check --no-render --env prd    # check build/prd as it is
      trellis check --format sarif --output trellis.sarif   # for code scanning
      trellis check --policies ../org-policies/checkov       # add your own checks
      trellis check --jobs 1                 # one checkov process (default: every core)
      trellis check --shard 2/4 --format sarif --output shard-2.sarif   # one CI runner
      trellis check --merge shard-*.sarif --output trellis.sarif        # one report again

    \b
    Renders first (unless --no-render), then checks PATH/build. Exit codes:
      0  no failing findings and every validator ran
      1  findings, or a validator is not available in this build
      2  bad input (missing build/, unknown --env, bad policies/skips.yaml, no checkov:
         `trellis tools install` provisions it)
    """
    if merge:
        _merge(paths, shard_spec, report_specs, output_format, output_file)
        return
    if len(paths) > 1:
        raise UserError.single(
            " ".join(p.as_posix() for p in paths),
            "trellis check takes one repository path",
            hint="to combine shard reports, add --merge: trellis check --merge shard-*.sarif",
        )
    from generator.check.progress import Progress
    from generator.check.runner import run_checks, validator_names

    unknown = [name for name in only if name not in validator_names()]
    if unknown:
        raise UserError.single(
            "--only",
            f"unknown validator {', '.join(unknown)}",
            hint=f"choose from {', '.join(validator_names())}",
        )
    from generator.check.shards import parse_shard

    shard = parse_shard(shard_spec) if shard_spec is not None else None
    extra_reports = parse_report_targets(report_specs)
    repo_root = paths[0] if paths else Path()
    if not no_render:
        render_before_check(repo_root, envs)
    if not only or "checkov" in only:
        _locate_checkov(checkov_path, repo_root)
    context = _context(repo_root, envs, policy_dirs, jobs, shard)
    with Progress() as progress:
        report = run_checks(context, only=only or None, progress=progress)
    _write_reports(report, output_format, output_file, extra_reports)
    sys.exit(report.exit_code)


def _merge(
    paths: tuple[Path, ...],
    shard_spec: str | None,
    report_specs: tuple[str, ...],
    output_format: str,
    output_file: Path | None,
) -> None:
    """``--merge``: the shard reports in ``paths`` into one, in the format asked or theirs."""
    if shard_spec is not None or report_specs:
        raise UserError.single(
            "--merge",
            "--merge combines reports already written; it takes no --shard or --report",
            hint="trellis check --merge shard-*.sarif --output trellis.sarif",
        )
    source = click.get_current_context().get_parameter_source("output_format")
    explicit = source is not None and source.name != "DEFAULT"
    merge_reports_to(paths, output_format if explicit else None, output_file)


def _locate_checkov(explicit: str | None, repo_root: Path) -> None:
    """Find checkov (flag, environment, project, tools cache, PATH) for the validator.

    Raises :class:`UserError` with ``trellis tools install`` as the fix when none is found.
    """
    from generator.tools import CHECKOV, require

    checkov = require(CHECKOV, explicit=explicit, repo_root=repo_root)
    if checkov.warning:
        click.echo(f"warning: {checkov.warning}", err=True)
    os.environ[CHECKOV.env_var] = str(checkov.path)


def _context(
    repo_root: Path,
    envs: tuple[str, ...],
    policy_dirs: tuple[Path, ...],
    jobs: int | None,
    shard: Shard | None,
) -> CheckContext:
    """What the validators check: the stacks of ``build/`` (of one shard, with ``--shard``)."""
    from generator.check.context import CheckContext
    from generator.check.shards import select_shard
    from generator.check.stacks import discover_stacks
    from generator.policy.sources import policy_dirs as resolve_dirs

    build_dir = repo_root / "build"
    context = CheckContext(
        repo_root=repo_root,
        build_dir=build_dir,
        stacks=discover_stacks(build_dir, envs),
        policy_dirs=resolve_dirs(repo_root, policy_dirs),
        cache_dir=repo_root / ".trellis" / "cache" / "check",
        jobs=jobs,
    )
    return context if shard is None else select_shard(context, shard)


def _write_reports(
    report: CheckReport,
    output_format: str,
    output_file: Path | None,
    extra_reports: list[tuple[str, Path]],
) -> None:
    """The report to standard output (coloured on a terminal) or ``--output``, then each
    ``--report FORMAT=FILE`` from the same run."""
    from generator.check.report import render

    to_terminal = output_file is None and sys.stdout.isatty()
    colour = to_terminal and output_format == "table" and not os.environ.get("NO_COLOR")
    text = render(report, output_format, build_prefix="build", color=colour)
    if output_file is None:
        click.echo(text, nl=False, color=colour)
    else:
        output_file.parent.mkdir(parents=True, exist_ok=True)
        output_file.write_text(text, encoding="utf-8")
        click.echo(f"wrote the {output_format} report to {output_file}", err=True)
    for fmt, file in extra_reports:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(render(report, fmt, build_prefix="build"), encoding="utf-8")
        click.echo(f"wrote the {fmt} report to {file}", err=True)
