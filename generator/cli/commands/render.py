"""``trellis render``: write Terraform, IAM review files, bundles and the manifest to build/."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.options import env_option, handle_user_errors, repo_argument


@click.command("render")
@repo_argument
@env_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output directory. Default: PATH/build.",
)
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; exit 1 listing every file that differs from disk (drift).",
)
@handle_user_errors(fmt_param=None)
def command(path: Path, envs: tuple[str, ...], out: Path | None, check_only: bool) -> None:
    """Render every blueprint × environment under PATH into build/.

    \b
    Writes, atomically (a failure leaves the previous build/ as it was):
      build/modules/<module>/*.tf       the reviewed, static modules
      build/<env>/<blueprint>/*.tf      one root stack per blueprint and environment
      build/<env>/<blueprint>/iam/*.json  each function's derived policy, for review
      build/bundles/<sha256>.zip        the Lambda runtime, byte-reproducible
      build/.github/workflows/*.yml     pull-request and deploy workflows, every environment
      build/manifest.json               every file with its sha256

    build/ holds only what render writes: plans, reviews and schemas live in .trellis/
    (git-ignored), where no render deletes them. With --env, every environment is still
    loaded (the workflows list them all) and the other environments' files stay byte for
    byte as they are. An --out that is a file is refused, never replaced.

    Exit status: 0 written (or no drift), 1 drift found by --check, 2 invalid input.

    \b
    Examples:
      trellis render                    # everything, into ./build
      trellis render --env dev          # re-render dev; stg and prd files stay as they are
      trellis render --check            # CI: fail if build/ is not what the blueprints say
    """
    from generator.pipeline import render_repository
    from generator.write.atomic import drift

    target = out or path / "build"
    result = render_repository(path, envs, target, write=not check_only, keep_other_envs=bool(envs))
    for key, reason in result.skipped:
        click.echo(f"skipped {key}: {reason}", err=True)
    if check_only:
        differences = drift(result.tree, target)
        if differences:
            for file, state in differences:
                click.echo(f"{state:<8} {target / file}")
            click.echo(
                f"\n{len(differences)} files differ from what the blueprints render; "
                "run `trellis render` and commit the result.",
                err=True,
            )
            sys.exit(1)
        click.echo(f"no drift: {target} matches the blueprints ({len(result.tree)} files)")
        return
    click.echo(f"rendered {len(result.stacks)} root stacks, {len(result.tree)} files into {target}")
    for key in result.stacks:
        click.echo(f"  {target / key}")
