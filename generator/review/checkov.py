"""checkov over the plan JSON: one run for every plan of the review.

checkov is a separate tool in its own virtual environment (its ``hcl2`` clashes with ours),
found through ``TRELLIS_CHECKOV`` or on ``PATH``. It runs with ``--framework
terraform_plan`` and ``--skip-download`` (nothing leaves the machine) and
``BC_SKIP_MAPPING=TRUE`` (no lookup of guideline links). Only failed checks are kept.

What can go wrong: checkov missing (a :class:`UserError` telling how to install it or to
pass ``--no-checkov``), checkov crashing or printing something that is not its JSON
report (a ``RuntimeError`` with its output: that is a bug to look at, not bad input).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any

from generator.check import policy_sources
from generator.review.model import CheckovFailure


def find_checkov() -> str:
    """The checkov executable, found as ``trellis check`` finds it."""
    return str(policy_sources.find_checkov())


def _reports(output: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(output)
    except json.JSONDecodeError as err:
        raise RuntimeError(
            f"checkov printed something that is not JSON ({err}):\n{output[:2000]}"
        ) from None
    reports = data if isinstance(data, list) else [data]
    return [r for r in reports if isinstance(r, dict) and "results" in r]


def run_checkov(
    plans: dict[str, Path], executable: str | None = None
) -> dict[str, list[CheckovFailure]]:
    """Failed checks per stack name, from one checkov run over every plan in ``plans``.

    ``plans`` maps stack names to plan files that have already been validated (so each
    has a ``terraform_version`` and checkov really scans it).
    """
    if not plans:
        return {}
    command: list[str] = [
        executable or find_checkov(),
        "--framework",
        "terraform_plan",
        "--output",
        "json",
        "--skip-download",
        "--quiet",
        "--compact",
    ]
    by_file: dict[str, str] = {}
    for name, path in sorted(plans.items()):
        resolved = str(path.resolve())
        by_file[resolved] = name
        command += ["-f", resolved]
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE"}
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"checkov exited with {result.returncode}:\n{result.stderr[-4000:]}")
    found: dict[str, set[CheckovFailure]] = defaultdict(set)
    for report in _reports(result.stdout):
        summary = report.get("summary") or {}
        if summary.get("parsing_errors"):
            raise RuntimeError(
                f"checkov could not parse {summary['parsing_errors']} of the "
                f"plans:\n{result.stderr[-4000:]}"
            )
        for failed in (report.get("results") or {}).get("failed_checks") or ():
            reported = str(Path(str(failed.get("file_abs_path"))).resolve())
            stack = by_file.get(reported)
            if stack is None:
                raise RuntimeError(f"checkov reported a file it was not given: {reported}")
            found[stack].add(
                CheckovFailure(
                    stack=stack,
                    check_id=str(failed.get("check_id")),
                    resource=str(failed.get("resource")),
                    check_name=str(failed.get("check_name") or ""),
                    guideline=str(failed.get("guideline") or ""),
                )
            )
    return {
        stack: sorted(failures, key=lambda f: (_natural(f.check_id), f.resource))
        for stack, failures in found.items()
    }


def _natural(check_id: str) -> tuple[object, ...]:
    """``CKV_AWS_18`` before ``CKV_AWS_115``: numbers compared as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", check_id))
