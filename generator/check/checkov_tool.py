"""Running the checkov executable: its version, and one scan of one directory.

checkov lives in its own virtual environment (its ``bc-python-hcl2`` installs a module
named ``hcl2`` that clashes with python-hcl2), so it always runs as a separate process,
offline: ``--skip-download`` and ``BC_SKIP_MAPPING=TRUE``, no API key, no module download.
A :class:`CheckovProcess` can be started before the stacks to scan are known, so that
checkov's import overlaps trellis' own preparation.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from generator.policy.sources import find_checkov
from generator.tools.versions import python_package_version, python_shebang


def checkov_version(executable: Path) -> str:
    """checkov's version, asked of the interpreter in its shebang (fast), else ``--version``.

    ``checkov --version`` imports all of checkov (seconds), which would dominate a re-check.
    Raises :class:`RuntimeError` when checkov will not say (a broken installation).
    """
    version = python_package_version(executable, "checkov")
    if version is None:
        raise RuntimeError(f"{executable} did not report its version: is it a working checkov?")
    return version


_DRIVER = """\
import ast, importlib, importlib.util, json, os, runpy, sys
sys.path[0] = os.path.dirname(sys.argv[1])
try:
    spec = importlib.util.find_spec("checkov.main")
    with open(spec.origin, encoding="utf-8") as source:
        body = ast.parse(source.read()).body
    for node in body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                importlib.import_module(alias.name)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            importlib.import_module(node.module)
except Exception:
    pass
request = sys.stdin.readline()
if not request.strip():
    raise SystemExit(0)
sys.argv = json.loads(request)
runpy.run_path(sys.argv[0], run_name="__main__")
"""
"""Run by the interpreter of checkov's script. It imports, in order, what ``checkov.main``
imports (the seconds of checkov's start-up) but not ``checkov.main`` itself, whose
``Checkov`` reads ``sys.argv`` when it is defined; then it waits for the command line on
stdin and runs checkov's own script with it, exactly as the shell would have. Whatever
fails to import here is imported again by the script, which reports it."""


def checkov_environment() -> dict[str, str]:
    """The environment of every checkov process: offline, quiet, and reproducible.

    ``PYTHONHASHSEED`` is pinned because checkov's graph evaluation can depend on the
    iteration order of sets of strings (bridgecrewio/checkov#7680: a ``merge()`` of tags in
    a ``for_each`` module passes or fails by the hash seed), so an unchanged tree must not
    pass one run and fail the next.
    """
    env = dict(
        os.environ,
        BC_SKIP_MAPPING="TRUE",
        LOG_LEVEL="ERROR",
        CHECKOV_EXPERIMENTAL_TERRAFORM_MANAGED_MODULES="false",
        PYTHONHASHSEED="0",
    )
    env.pop("BC_API_KEY", None)
    return env


class CheckovProcess:
    """One checkov process, started before it is told what to scan.

    When checkov's script has a Python shebang, its interpreter starts at once and imports
    checkov (about 2.5 s, most of a re-check's scan) while trellis works out which stacks
    to scan; :meth:`start` then hands it the command line and it runs checkov's own script
    with it. Any other executable (a shell wrapper, a binary) is simply started by
    :meth:`start`. Output goes to files in a temporary directory (no pipe can fill and stall
    it); :meth:`result` waits and returns the JSON report.
    """

    def __init__(self, executable: Path) -> None:
        self.executable = executable
        self.command: list[str] = []
        self._out = tempfile.TemporaryDirectory(prefix="trellis-checkov-")
        self.out = Path(self._out.name)
        self._process: subprocess.Popen[bytes] | None = None
        interpreter = python_shebang(executable)
        if interpreter is not None:
            self._process = self._popen([*interpreter, "-c", _DRIVER, str(executable)], True)

    def _popen(self, command: list[str], driven: bool) -> subprocess.Popen[bytes]:
        with (
            (self.out / "stdout.txt").open("wb") as stdout,
            (self.out / "stderr.txt").open("wb") as stderr,
        ):
            return subprocess.Popen(
                command,
                stdin=subprocess.PIPE if driven else subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
                env=checkov_environment(),
                cwd=self.out,
            )

    def start(self, arguments: list[str]) -> None:
        """Run checkov with ``arguments`` (the report goes to this process's directory)."""
        self.command = [str(self.executable), *arguments, "--output-file-path", str(self.out)]
        if self._process is None:
            self._process = self._popen(self.command, False)
            return
        stdin = self._process.stdin
        assert stdin is not None
        try:
            stdin.write(json.dumps(self.command).encode() + b"\n")
            stdin.close()
        except BrokenPipeError:  # the interpreter died; result() reports its stderr
            pass

    def cancel(self) -> None:
        """Kill checkov if it is still running and remove its output (idempotent)."""
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()
                self._process.wait()
            if self._process.stdin is not None:
                self._process.stdin.close()
        self._out.cleanup()

    def result(self) -> dict[str, Any]:
        """Wait for checkov; its failed and skipped checks and parsing errors, merged.

        Raises :class:`RuntimeError` (an internal error, with checkov's stderr) when checkov
        exits with anything but 0 (clean) or 1 (failed checks) or writes no report.
        """
        if self._process is None or not self.command:
            raise RuntimeError("checkov was never given a command line: call start() first")
        try:
            code = self._process.wait()
            report_path = self.out / "results_json.json"
            if code not in (0, 1) or not report_path.is_file():
                stderr = (self.out / "stderr.txt").read_text(encoding="utf-8", errors="replace")
                raise RuntimeError(
                    f"checkov exited {code} without a report\n"
                    f"command: {' '.join(self.command)}\n{stderr[-4000:]}"
                )
            raw = json.loads(report_path.read_text(encoding="utf-8"))
        finally:
            self._out.cleanup()
        reports = raw if isinstance(raw, list) else [raw]
        merged: dict[str, Any] = {"failed_checks": [], "skipped_checks": [], "parsing_errors": []}
        for report in reports:
            results = report.get("results", {}) if isinstance(report, dict) else {}
            for key in merged:
                merged[key].extend(results.get(key, []))
        return merged


def start_scan(
    directory: Path,
    policy_dirs: tuple[Path, ...],
    executable: Path | None = None,
    process: CheckovProcess | None = None,
) -> CheckovProcess:
    """Start checkov over ``directory`` and return at once; see :class:`CheckovProcess`.

    ``process``: one already started (and importing checkov) to use; else a new one.
    """
    running = process or CheckovProcess(executable or find_checkov())
    arguments = [
        "--directory",
        str(directory.resolve()),
        "--framework",
        "terraform",
        "--skip-download",
        "--compact",
        "--output",
        "json",
    ]
    for policy_dir in policy_dirs:
        arguments += ["--external-checks-dir", str(policy_dir.resolve())]
    running.start(arguments)
    return running


def scan(
    directory: Path, policy_dirs: tuple[Path, ...], executable: Path | None = None
) -> dict[str, Any]:
    """Run checkov once over ``directory`` and return its JSON report as a dict.

    Raises what :meth:`CheckovProcess.result` raises.
    """
    return start_scan(directory, policy_dirs, executable).result()
