"""``trellis plan --offline``: real Terraform plans of every root stack, no AWS account.

Each ``build/<env>/<blueprint>/`` stack is planned by the embedded Terraform against
trellis's offline AWS provider; the JSON plan lands in
``.trellis/plans/<env>/<blueprint>/plan.json`` (with the binary ``plan.tfplan``), outside
the rendered tree so that no render deletes it and no commit picks it up. Online plans,
with the real provider, real credentials and the real remote state, run in CI.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from generator.cli.options import env_option, handle_user_errors, repo_argument
from generator.errors import EXIT_USER_ERROR

ONLINE_MESSAGE = (
    "trellis plans offline only: use `trellis plan --offline`.\n"
    "Online plans (real AWS provider, real credentials, remote state) run in CI, in the "
    "plan job of the generated workflow."
)


@click.command("plan")
@click.option(
    "--offline",
    is_flag=True,
    help="Plan against the offline AWS provider (a create plan against empty state).",
)
@repo_argument
@env_option
@handle_user_errors(fmt_param=None)
def command(offline: bool, path: Path, envs: tuple[str, ...]) -> None:
    """Plan every rendered root stack with the embedded Terraform, offline.

    An offline plan is a create plan against empty state, checked by the real Terraform
    core against the AWS provider's schema (no credentials, no provider download); it
    does not run the provider's own validators (enums, conflicts) or read real state.

    \b
    Writes .trellis/plans/<env>/<blueprint>/plan.json and plan.tfplan (git-ignored; a
    render never deletes them).

    Exit codes: 0 every stack planned, 1 a stack did not plan, 2 bad input.

    \b
    Examples:
      trellis render && trellis plan --offline
      trellis plan --offline --env prd
      trellis review .trellis/plans/prd/*/plan.json
    """
    if not offline:
        click.echo(ONLINE_MESSAGE, err=True)
        sys.exit(EXIT_USER_ERROR)

    from generator.check.stacks import discover_stacks
    from generator.images.offline import is_image_stack, planned_image, write_planned_image
    from generator.offline_provider import OfflinePlanError, OfflineSession, plan_stack
    from generator.offline_provider.workspace import StackScanner
    from generator.write.home import ensure_home, plan_dir

    build_dir = path / "build"
    stacks = discover_stacks(build_dir, envs)
    if not stacks:
        click.echo(f"no root stacks under {build_dir}", err=True)
        sys.exit(EXIT_USER_ERROR)
    failed = 0
    cache_dir = ensure_home(path) / "cache"
    scanner = StackScanner()
    scans = [scanner.scan(s.path) for s in stacks]
    with OfflineSession(scans, cache_dir) as session:
        for stack, scan in zip(stacks, scans, strict=True):
            image = None
            if is_image_stack(stack.path):  # its digest: TF_VAR_image_digest or the stand-in
                image = planned_image(build_dir, stack.path.name, os.environ)
            try:
                written = plan_stack(
                    stack.path,
                    plan_dir(path, stack.key),
                    session=session,
                    build_dir=build_dir,
                    variables={"image_digest": image.digest} if image else None,
                    scan=scan,
                )
            except OfflinePlanError as err:
                failed += 1
                click.echo(f"{stack.key}: plan failed")
                for finding in err.findings:
                    where = ":".join(str(p) for p in (finding.file, finding.line) if p)
                    click.echo(f"  {where or stack.key}: {finding.message}")
                    if finding.fix:
                        click.echo(f"    fix: {finding.fix}")
                continue
            click.echo(
                f"{stack.key}: {_summary(written)} -> {written.relative_to(path).as_posix()}"
            )
            if image is not None:
                write_planned_image(written.parent, image)
                click.echo(f"  image {image.digest} ({image.origin})")
    noun = "stack" if len(stacks) == 1 else "stacks"
    click.echo(f"{len(stacks) - failed} of {len(stacks)} {noun} planned offline")
    if failed:
        sys.exit(1)


def _summary(plan_json: Path) -> str:
    document = json.loads(plan_json.read_text())
    counts: dict[str, int] = {}
    for change in document.get("resource_changes", []):
        for action in change["change"]["actions"]:
            if action != "no-op":
                counts[action] = counts.get(action, 0) + 1
    outputs = len(document.get("output_changes", {}))
    parts = [f"{n} to {a}" for a, n in sorted(counts.items())] or ["no resource changes"]
    return ", ".join(parts) + f", {outputs} outputs"
