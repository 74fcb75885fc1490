"""The README's tour, typed as printed in a checkout after `make install`, exits as shown.

Every ``$ command`` line of the fenced blocks under "A tour of the CLI" runs in order, in
a copy of the example repository inside the checkout (under the git-ignored ``.trellis/``,
so trellis finds the checkout's ``.venv-checkov`` and ``node_modules`` by walking up, as
it does in the checkout itself), with the checkout's ``.venv/bin`` on PATH as the README's
install section says and no ``TRELLIS_*`` variable exported. A block that shows input
errors ("nothing was written") documents exit 2 on broken input and is not run here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def tour_commands(text: str) -> list[str]:
    """The ``$ `` commands of the tour section's code blocks, in order.

    The section ends at the next ``## `` heading outside a code block (the review's
    output, inside one, starts with ``## trellis plan review``).
    """
    commands: list[str] = []
    in_tour = in_fence = False
    block: list[str] = []
    for line in text.splitlines():
        if line.startswith("```"):
            if in_fence and in_tour and not any("nothing was written" in b for b in block):
                commands += _joined_commands(block)
            in_fence, block = not in_fence, []
        elif in_fence:
            block.append(line)
        elif line.startswith("## "):
            in_tour = line == "## A tour of the CLI"
    return commands


def _joined_commands(block: list[str]) -> list[str]:
    """The ``$ `` lines of one code block, each with its ``\\``-continued lines joined."""
    commands: list[str] = []
    continued = False
    for line in block:
        if continued:
            commands[-1] = commands[-1][:-1] + " " + line.strip()
        elif line.startswith("$ "):
            commands.append(line[2:])
        else:
            continue
        continued = commands[-1].endswith("\\")
    return commands


@pytest.fixture
def tour_repo() -> Iterator[Path]:
    """The examples (blueprints, environments) copied under the checkout's .trellis/."""
    scratch = ROOT / ".trellis" / f"readme-tour-{os.getpid()}"
    if scratch.exists():
        shutil.rmtree(scratch)
    for name in ("blueprints", "environments"):
        shutil.copytree(ROOT / name, scratch / name)
    yield scratch
    shutil.rmtree(scratch, ignore_errors=True)


def test_the_tour_has_the_commands_it_describes() -> None:
    """The parser finds the tour: validate, init, render, check, plan, review, iam lint."""
    commands = tour_commands(README.read_text(encoding="utf-8"))
    firsts = [" ".join(c.split()[:2]) for c in commands if c.startswith("trellis")]
    expected_commands = ("trellis validate", "trellis render", "trellis check", "trellis review",
                         "trellis iam")  # fmt: skip
    for expected in expected_commands:
        assert expected in firsts, firsts


@pytest.mark.slow
def test_readme_tour_commands_exit_0_without_exported_variables(tour_repo: Path) -> None:
    """Each tour command, typed as printed, exits 0 with no TRELLIS_* in the environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRELLIS_")}
    env.pop("TF_CLI_CONFIG_FILE", None)
    env["PATH"] = os.pathsep.join([str(ROOT / ".venv" / "bin"), env.get("PATH", "")])
    for command in tour_commands(README.read_text(encoding="utf-8")):
        done = subprocess.run(
            ["bash", "-c", command], cwd=tour_repo, env=env, capture_output=True, text=True,
            check=False,
        )  # fmt: skip
        assert done.returncode == 0, f"$ {command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
