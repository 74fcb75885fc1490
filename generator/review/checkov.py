"""checkov over the plan JSON: one run for every plan of the review.

checkov is a separate tool in its own virtual environment (its ``hcl2`` clashes with ours),
found as every command finds it (:mod:`generator.tools.resolve`). It runs with ``--framework
terraform_plan`` and ``--skip-download`` (nothing leaves the machine) and
``BC_SKIP_MAPPING=TRUE`` (no lookup of guideline links). Only failed checks are kept.

A check that raises on a resource (checkov logs "Failed to run check ..." with the
exception to stderr and goes on) did not run: it is returned in :attr:`CheckovRun.errors`
with checkov's error, so the review never reports it as passed.

What can go wrong: checkov installed nowhere (the review says so and exits 1, see
:func:`checkov_unavailable`); a checkov path that names nothing (a :class:`UserError`);
checkov crashing or printing something that is not its JSON report (a ``RuntimeError``
with its output: that is a bug to look at, not bad input).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from generator.errors import UserError
from generator.policy import sources
from generator.policy.skips import Skip, split_address
from generator.review.model import CheckovError, CheckovFailure


def find_checkov(repo_root: Path | None = None) -> str:
    """The checkov executable, found as ``trellis check`` finds it; the error also says
    that the review can run without it."""
    try:
        return str(sources.find_checkov(repo_root=repo_root))
    except UserError as err:
        raise UserError(
            [replace(d, hint=f"{d.hint}; or pass --no-checkov") for d in err.diagnostics]
        ) from None


def checkov_unavailable(repo_root: Path | None = None) -> str | None:
    """Why checkov cannot run for a review (with the fix), or ``None`` when it can.

    Only "installed nowhere" is returned: a ``--checkov``/``TRELLIS_CHECKOV`` that names
    a missing file is bad input and stays a :class:`UserError`.
    """
    from generator.tools import CHECKOV, Missing, locate

    found = locate(CHECKOV, repo_root=repo_root)
    if isinstance(found, Missing) and found.subject == CHECKOV.name:
        return f"{found.reason}; fix: {found.fix}; or pass --no-checkov"
    return None


def _reports(output: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(output)
    except json.JSONDecodeError as err:
        raise RuntimeError(
            f"checkov printed something that is not JSON ({err}):\n{output[:2000]}"
        ) from None
    reports = data if isinstance(data, list) else [data]
    return [r for r in reports if isinstance(r, dict) and "results" in r]


@dataclass(frozen=True)
class CheckovRun:
    """What one checkov run reported: failed checks per stack, and checks that errored."""

    failures: dict[str, list[CheckovFailure]]
    errors: tuple[CheckovError, ...] = ()


_FAILED_TO_RUN = re.compile(r"Failed to run check (?P<check>\S+) on (?P<where>\S+)")
_EXCEPTION = re.compile(r"^(?:[A-Za-z_][\w.]*)?(?:Error|Exception|Exit)\b.*")


def _stack_of(file: str, by_file: dict[str, str]) -> str:
    if file in by_file:
        return by_file[file]
    suffix = "/" + file.lstrip("/")
    matches = [stack for path, stack in by_file.items() if path.endswith(suffix)]
    return matches[0] if len(matches) == 1 else file


def check_errors(stderr: str, by_file: dict[str, str]) -> tuple[CheckovError, ...]:
    """The checks checkov logged as "Failed to run check ID on FILE:TYPE.NAME".

    Each gets the exception line of the traceback that follows it (``TypeError: ...``)
    when checkov printed one. ``by_file`` maps resolved plan paths to stack names; checkov
    names the file relative to the plans' common directory (``/dev/orders/plan.json``),
    so the plan whose path ends with it is the one. An error on a file that matches no
    plan keeps the file's name as its stack.
    """
    lines = stderr.splitlines()
    found: set[CheckovError] = set()
    for index, line in enumerate(lines):
        match = _FAILED_TO_RUN.search(line)
        if match is None:
            continue
        file, _, resource = match["where"].rpartition(":")
        if not file:
            file, resource = resource, ""
        stack = _stack_of(file, by_file)
        error = "no error message"
        for following in lines[index + 1 : index + 80]:
            if _FAILED_TO_RUN.search(following):
                break
            text = following.strip()
            if not following.startswith((" ", "\t")) and _EXCEPTION.match(text):
                error = text[:300]
                break
        found.add(CheckovError(stack, match["check"], resource, error))
    return tuple(sorted(found))


def run_checkov(plans: dict[str, Path], executable: str | None = None) -> CheckovRun:
    """Failed and errored checks per stack name, from one checkov run over ``plans``.

    ``plans`` maps stack names to plan files that have already been validated (so each
    has a ``terraform_version`` and checkov really scans it).
    """
    if not plans:
        return CheckovRun({})
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
    return CheckovRun(
        {
            stack: sorted(failures, key=lambda f: (_natural(f.check_id), f.resource))
            for stack, failures in found.items()
        },
        check_errors(result.stderr, by_file),
    )


def _module_sources(module: dict[str, Any], prefix: str, out: dict[str, str]) -> None:
    for call, body in (module.get("module_calls") or {}).items():
        address = f"{prefix}module.{call}"
        out[address] = Path(str(body.get("source", ""))).name
        _module_sources(body.get("module") or {}, f"{address}.", out)


def module_dirs(document: dict[str, Any]) -> dict[str, str]:
    """``module.<call>`` address → the module directory it uses, from the plan's
    ``configuration`` (``module.backup`` → ``backup_bucket``)."""
    found: dict[str, str] = {}
    _module_sources((document.get("configuration") or {}).get("root_module") or {}, "", found)
    return found


_KEY_WORDS = ("encrypt", "kms", "cmk")


def _has_unknown_key(unknown: Any) -> bool:
    """Whether an ``after_unknown`` value marks a KMS attribute unknown at any depth."""
    if isinstance(unknown, dict):
        return any(
            ("kms" in name and value is True) or _has_unknown_key(value)
            for name, value in unknown.items()
        )
    if isinstance(unknown, list):
        return any(_has_unknown_key(item) for item in unknown)
    return False


def _unknown_keys(document: dict[str, Any]) -> set[str]:
    """Addresses of resources whose KMS key attribute is known only after apply."""
    return {
        str(change.get("address"))
        for change in document.get("resource_changes") or ()
        if _has_unknown_key((change.get("change") or {}).get("after_unknown"))
    }


def _block_file(address: str, modules: dict[str, str]) -> str:
    """The build/-relative module path a resource's block lives in, for skip matching."""
    calls, _ = split_address(address)
    if not calls:
        return ""
    directory = modules.get(".".join(calls), "")
    return f"modules/{directory}/main.tf" if directory else ""


def sort_failures(
    failures: dict[str, list[CheckovFailure]], plans: dict[str, Path], skips: Sequence[Skip]
) -> tuple[dict[str, list[CheckovFailure]], list[CheckovFailure], int]:
    """``failures`` less two kinds that are not findings: those the reviewed skips cover
    (returned, so a caller can compare them with ``trellis check``'s applied skips) and
    how many were undecidable.

    - Covered by the reviewed skips table: a plan carries no ``#checkov:skip`` comments,
      so checkov on a plan fails what the rendered HCL skips with a reviewed reason.
    - Undecidable: an encryption check on a resource whose KMS key is created in the same
      plan. The key's ARN is "known after apply", which checkov on a plan reads as "no
      key"; the same check passes on the rendered HCL (``trellis check``).
    """
    kept: dict[str, list[CheckovFailure]] = {}
    skipped: list[CheckovFailure] = []
    undecided = 0
    for stack, found in failures.items():
        document = json.loads(plans[stack].read_text(encoding="utf-8"))
        modules = module_dirs(document)
        unknown_keys = _unknown_keys(document)
        kept[stack] = []
        for failure in found:
            file = _block_file(failure.resource, modules)
            if any(s.id == failure.check_id and s.covers(file, failure.resource) for s in skips):
                skipped.append(failure)
            elif failure.resource in unknown_keys and any(
                word in failure.check_name.lower() for word in _KEY_WORDS
            ):
                undecided += 1
            else:
                kept[stack].append(failure)
    return kept, sorted(skipped), undecided


def _natural(check_id: str) -> tuple[object, ...]:
    """``CKV_AWS_18`` before ``CKV_AWS_115``: numbers compared as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", check_id))
