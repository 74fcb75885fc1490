"""Trees for the check tests: the hand-written basic tree, copied and patched per case.

``trees/basic`` is what the renderer will write (``build/modules``, ``build/<env>/<bp>``):
two stacks that pass every validator here. Cases copy it and apply a small patch, the way
cfn-lint's tests patch one valid document, and state the exact findings they expect.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.check.context import CheckContext
from generator.check.stacks import discover_stacks
from generator.policy.sources import policy_dirs
from tests.checkov_once import CHECKOV, once

BASIC = Path(__file__).parent / "trees" / "basic"

DEFECTS_MAIN = """
resource "aws_s3_bucket" "unversioned" {
  #checkov:skip=CKV_AWS_145:not in the reviewed table
  bucket = "commerce-defects-dev-unversioned"
}
"""


def copy_basic(destination: Path) -> Path:
    """A fresh copy of the basic tree as a repository root; returns that root."""
    shutil.copytree(BASIC, destination)
    return destination


def add_defects_stack(repo: Path) -> None:
    """``dev/defects``: the orders stack plus a bucket without versioning and an unreviewed skip."""
    stack = repo / "build" / "dev" / "defects"
    shutil.copytree(repo / "build" / "dev" / "orders", stack)
    main = stack / "main.tf"
    main.write_text(
        main.read_text(encoding="utf-8").replace("commerce-orders-dev", "commerce-defects-dev")
        + DEFECTS_MAIN,
        encoding="utf-8",
    )


def context_for(repo: Path, envs: tuple[str, ...] = ()) -> CheckContext:
    """The context ``trellis check --no-render`` builds for ``repo``."""
    build = repo / "build"
    return CheckContext(
        repo_root=repo,
        build_dir=build,
        stacks=discover_stacks(build, envs),
        policy_dirs=policy_dirs(repo, ()),
        cache_dir=repo / ".trellis" / "cache" / "check",
    )


def checkov_wrapper(directory: Path, log: Path) -> Path:
    """A checkov executable that records the stacks of each scan, then runs the real one.

    Its shebang is checkov's own interpreter, so trellis reads checkov's version from it.
    """
    real = Path(CHECKOV)
    interpreter = real.read_text(encoding="utf-8").splitlines()[0]
    script = directory / "checkov"
    script.write_text(
        f"{interpreter}\n"
        "import os, sys\n"
        "args = sys.argv[1:]\n"
        "if '--directory' in args:\n"
        "    scanned = args[args.index('--directory') + 1]\n"
        f"    with open({str(log)!r}, 'a') as log:\n"
        "        log.write(' '.join(sorted(os.listdir(scanned))) + '\\n')\n"
        f"os.execv({str(real)!r}, [{str(real)!r}, *args])\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script


def _checked_defects_repo(workdir: Path) -> dict[str, Any]:
    """Run `trellis check --format json --no-render` once over basic + defects."""
    import json
    import subprocess

    repo = copy_basic(workdir / "repo")
    add_defects_stack(repo)
    env = dict(os.environ, TRELLIS_CHECKOV=CHECKOV, NO_COLOR="1")
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("trellis")),
            "check",
            str(repo),
            "--no-render",
            "--format",
            "json",
            "--only",
            "hcl_parse",
            "--only",
            "terraform_fmt",
            "--only",
            "checkov",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return {
        "exit_code": done.returncode,
        "report": json.loads(done.stdout),
        "stderr": done.stderr,
        "repo": str(repo),
    }


@pytest.fixture(scope="session")
def defects_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One real `trellis check` (checkov included) over the basic tree plus dev/defects."""
    return once(tmp_path_factory, "defects-run", _checked_defects_repo)
