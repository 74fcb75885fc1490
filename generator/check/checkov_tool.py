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


def scan(
    directory: Path, policy_dirs: tuple[Path, ...], executable: Path | None = None
) -> dict[str, Any]:
    """Run checkov once over ``directory`` and return its JSON report as a dict.

    Raises :class:`RuntimeError` (an internal error, with checkov's stderr) when checkov
    exits with anything but 0 (clean) or 1 (failed checks) or writes no report.
    """
    exe = executable or find_checkov()
    with tempfile.TemporaryDirectory(prefix="trellis-checkov-") as out:
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
            "--output-file-path",
            out,
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
        done = subprocess.run(
            command, capture_output=True, text=True, env=env, check=False, cwd=out
        )
        report_path = Path(out) / "results_json.json"
        if done.returncode not in (0, 1) or not report_path.is_file():
            raise RuntimeError(
                f"checkov exited {done.returncode} without a report\n"
                f"command: {' '.join(command)}\n{done.stderr[-4000:]}"
            )
        raw = json.loads(report_path.read_text(encoding="utf-8"))
    reports = raw if isinstance(raw, list) else [raw]
    merged: dict[str, Any] = {"failed_checks": [], "skipped_checks": [], "parsing_errors": []}
    for report in reports:
        results = report.get("results", {}) if isinstance(report, dict) else {}
        for key in merged:
            merged[key].extend(results.get(key, []))
    return merged
