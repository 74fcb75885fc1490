"""Running the checkov executable: its version, and one scan of one directory.

checkov lives in its own virtual environment (its ``bc-python-hcl2`` installs a module
named ``hcl2`` that clashes with python-hcl2), so it always runs as a separate process,
offline: ``--skip-download`` and ``BC_SKIP_MAPPING=TRUE``, no API key, no module download.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from generator.policy.sources import find_checkov
from generator.tools.versions import python_package_version


def checkov_version(executable: Path) -> str:
    """checkov's version, asked of the interpreter in its shebang (fast), else ``--version``.

    ``checkov --version`` imports all of checkov (seconds), which would dominate a re-check.
    Raises :class:`RuntimeError` when checkov will not say (a broken installation).
    """
    version = python_package_version(executable, "checkov")
    if version is None:
        raise RuntimeError(f"{executable} did not report its version: is it a working checkov?")
    return version


class RunningScan:
    """One checkov process scanning one directory, started by :func:`start_scan`.

    Its output goes to files in a temporary directory (no pipe can fill and stall it);
    :meth:`result` waits for it and returns the JSON report.
    """

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self._out = tempfile.TemporaryDirectory(prefix="trellis-checkov-")
        out = Path(self._out.name)
        self.command = [*command, "--output-file-path", str(out)]
        with (out / "stdout.txt").open("wb") as stdout, (out / "stderr.txt").open("wb") as stderr:
            self._process = subprocess.Popen(
                self.command, stdout=stdout, stderr=stderr, env=env, cwd=out
            )

    def cancel(self) -> None:
        """Kill checkov if it is still running and remove its output (idempotent)."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._out.cleanup()

    def result(self) -> dict[str, Any]:
        """Wait for checkov; its failed and skipped checks and parsing errors, merged.

        Raises :class:`RuntimeError` (an internal error, with checkov's stderr) when checkov
        exits with anything but 0 (clean) or 1 (failed checks) or writes no report.
        """
        try:
            code = self._process.wait()
            out = Path(self._out.name)
            report_path = out / "results_json.json"
            if code not in (0, 1) or not report_path.is_file():
                stderr = (out / "stderr.txt").read_text(encoding="utf-8", errors="replace")
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
    directory: Path, policy_dirs: tuple[Path, ...], executable: Path | None = None
) -> RunningScan:
    """Start checkov over ``directory`` and return at once; see :class:`RunningScan`."""
    exe = executable or find_checkov()
    command = [
        str(exe),
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
        command += ["--external-checks-dir", str(policy_dir.resolve())]
    env = dict(
        os.environ,
        BC_SKIP_MAPPING="TRUE",
        LOG_LEVEL="ERROR",
        CHECKOV_EXPERIMENTAL_TERRAFORM_MANAGED_MODULES="false",
    )
    env.pop("BC_API_KEY", None)
    return RunningScan(command, env)


def scan(
    directory: Path, policy_dirs: tuple[Path, ...], executable: Path | None = None
) -> dict[str, Any]:
    """Run checkov once over ``directory`` and return its JSON report as a dict.

    Raises what :meth:`RunningScan.result` raises.
    """
    return start_scan(directory, policy_dirs, executable).result()
