"""Validator ``checkov``: built-in checks, trellis' ``CKV_TRL_`` policies and ``--policies``.

checkov scans only the root stacks whose digest changed since their results were cached
(see :mod:`generator.check.checkov_cache`); unchanged stacks reuse their cached results.
The stacks to scan are split into groups of similar size (:func:`generator.check.jobs.
plan_groups`), at most one per job (``--jobs``), and each group is scanned by its own
checkov process, all at once: checkov builds its graph on one core, so this is how a check
uses every core. Each stack is laid out with its own copy of its modules, so a stack's
results do not depend on which group it is in (a test compares one scan with three). Every
failed check becomes a :class:`Finding` with the file relative to the build directory, the
line, the resource address, the check id and name and checkov's guideline as the fix.

Skips: every ``#checkov:skip`` comment checkov applied is listed by :func:`skipped` with its
reason; a skip comment whose check id (and resource type) is not in the reviewed table
``policies/skips.yaml`` is a ``TRL_SKIP_UNREVIEWED`` finding.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.check.checkov_cache import (
    ResultCache,
    ScanInputs,
    lay_out_scan_dir,
    policy_digest,
    scan_key,
    stack_digest,
)
from generator.check.checkov_tool import checkov_version, start_scan
from generator.check.context import CheckContext, StackRef
from generator.check.jobs import available_cpus, plan_groups
from generator.check.outcome import AppliedSkip
from generator.policy.findings import Finding, Severity
from generator.policy.skips import Skip, reviewed_skips
from generator.policy.sources import find_checkov

NAME = "checkov"
RUNS_EXTERNAL_PROCESS = True


def launch(context: CheckContext) -> Callable[[], list[Finding]]:
    """Start checkov on the stacks whose inputs changed, and return at once.

    The returned function waits for the scans and reports findings for every selected
    stack. The runner launches checkov before the in-process validators take the
    interpreter, so its processes, the check's critical path, start within a fraction
    of a second.
    """
    executable = find_checkov()
    policies = policy_digest(context.policy_dirs, checkov_version(executable))
    cache = ResultCache(context.cache_dir)
    inputs = ScanInputs(context.build_dir)
    digests = {s: stack_digest(s, policies, inputs) for s in context.stacks}
    results: dict[StackRef, dict[str, Any]] = {}
    stale: list[StackRef] = []
    for stack, digest in digests.items():
        cached = cache.load(stack, digest)
        if cached is None:
            stale.append(stack)
        else:
            results[stack] = cached
    scans = _start_groups(context, stale, executable, inputs)

    def finish() -> list[Finding]:
        scanned: dict[str, Any] = {}
        try:
            for group in scans:
                scanned.update(group.result())
        finally:
            for group in scans:
                group.cancel()
        for stack in stale:
            results[stack] = scanned.get(scan_key(stack), _empty())
            cache.store(stack, digests[stack], results[stack])
        reviewed = _reviewed_skips(context)
        findings: list[Finding] = []
        for stack in context.stacks:
            findings.extend(_findings(stack, results[stack], reviewed))
        return findings

    return finish


def run(context: CheckContext) -> list[Finding]:
    """Scan the stacks whose inputs changed, then report findings for every selected stack."""
    return launch(context)()


def skipped(context: CheckContext) -> list[AppliedSkip]:
    """The skips checkov applied in the selected stacks during the last :func:`run`."""
    cache = ResultCache(context.cache_dir)
    skips: list[AppliedSkip] = []
    for stack in context.stacks:
        entry = cache.load_latest(stack)
        for record in (entry or _empty())["skipped"]:
            skips.append(
                AppliedSkip(
                    check_id=record["check_id"],
                    resource=record["resource"],
                    file=record["file"],
                    line=record["line"],
                    stack=stack.key,
                    reason=record.get("reason") or "",
                )
            )
    return skips


def _empty() -> dict[str, Any]:
    return {"failed": [], "skipped": [], "parsing_errors": []}


def _start_groups(
    context: CheckContext,
    stacks: list[StackRef],
    executable: Path,
    inputs: ScanInputs,
) -> list[_GroupScan]:
    """Start one checkov process per group of ``stacks``, all at once (none if no stacks)."""
    if not stacks:
        return []
    jobs = context.jobs if context.jobs is not None else available_cpus()
    size = {s: sum(p.stat().st_size for p in inputs.files(s)) for s in stacks}
    groups = plan_groups(stacks, jobs, size.__getitem__)
    started: list[_GroupScan] = []
    try:
        for index, group in enumerate(groups):
            name = "checkov-scan" if len(groups) == 1 else f"checkov-scan-{index}"
            started.append(_GroupScan(context, group, executable, name, inputs))
    except BaseException:
        for scan in started:
            scan.cancel()
        raise
    return started


class _GroupScan:
    """One group's checkov process: laid out and started on construction."""

    def __init__(
        self,
        context: CheckContext,
        stacks: list[StackRef],
        executable: Path,
        name: str,
        inputs: ScanInputs,
    ) -> None:
        self.stacks = stacks
        self.scan_dir = context.cache_dir / name
        lay_out_scan_dir(self.scan_dir, stacks, context.build_dir, inputs)
        try:
            self.running = start_scan(self.scan_dir, context.policy_dirs, executable)
        except BaseException:
            shutil.rmtree(self.scan_dir, ignore_errors=True)
            raise

    def cancel(self) -> None:
        """Stop the process (if still running) and remove the scan directory."""
        self.running.cancel()
        shutil.rmtree(self.scan_dir, ignore_errors=True)

    def result(self) -> dict[str, Any]:
        """Wait for checkov; its results grouped by scan key, paths build-relative."""
        try:
            raw = self.running.result()
            root = os.path.realpath(self.scan_dir)
        finally:
            shutil.rmtree(self.scan_dir, ignore_errors=True)
        grouped: dict[str, dict[str, Any]] = {scan_key(s): _empty() for s in self.stacks}
        for kind, target in (("failed_checks", "failed"), ("skipped_checks", "skipped")):
            for record in raw[kind]:
                key, relative = _locate(root, record.get("file_abs_path") or "")
                if key not in grouped:
                    continue
                grouped[key][target].append(_normalise(record, relative))
        for error in raw["parsing_errors"]:
            key, relative = _locate(root, str(error))
            if key in grouped:
                grouped[key]["parsing_errors"].append(relative)
        for entry in grouped.values():
            for field in ("failed", "skipped"):
                entry[field].sort(
                    key=lambda r: (r["file"], r["line"] or 0, r["check_id"], r["resource"])
                )
            entry["parsing_errors"].sort()
        return grouped


def _locate(root: str, path: str) -> tuple[str, str]:
    """Split a path inside the scan directory into (scan key, build-relative path)."""
    real = os.path.realpath(path) if path else ""
    if not real.startswith(root + os.sep):
        return "", path
    parts = Path(os.path.relpath(real, root)).parts
    return parts[0], Path(*parts[1:]).as_posix() if len(parts) > 1 else ""


def _normalise(record: dict[str, Any], relative: str) -> dict[str, Any]:
    line_range = record.get("file_line_range") or [None]
    check_result = record.get("check_result") or {}
    return {
        "check_id": record.get("check_id", ""),
        "check_name": record.get("check_name", ""),
        "file": relative,
        "line": line_range[0] if line_range and line_range[0] else None,
        "resource": record.get("resource", ""),
        "guideline": record.get("guideline") or "",
        "reason": check_result.get("suppress_comment") or "",
    }


def _reviewed_skips(context: CheckContext) -> list[Skip]:
    return reviewed_skips(context.repo_root)


def _findings(stack: StackRef, results: dict[str, Any], reviewed: list[Skip]) -> list[Finding]:
    findings = []
    for record in results["failed"]:
        findings.append(
            Finding(
                check_id=record["check_id"],
                severity=Severity.ERROR,
                message=record["check_name"],
                validator=NAME,
                file=record["file"],
                line=record["line"],
                resource=record["resource"],
                stack=stack.key,
                fix=record["guideline"]
                or "fix the module or template that renders this resource, "
                "or add a reviewed skip to policies/skips.yaml",
            )
        )
    for record in results["skipped"]:
        if any(
            s.id == record["check_id"] and s.covers(record["file"], record["resource"])
            for s in reviewed
        ):
            continue
        findings.append(
            Finding(
                check_id="TRL_SKIP_UNREVIEWED",
                severity=Severity.ERROR,
                message=f"{record['check_id']} is skipped by a #checkov:skip comment that "
                f"policies/skips.yaml does not list for this block "
                f"(reason given: {record['reason'] or 'none'})",
                validator=NAME,
                file=record["file"],
                line=record["line"],
                resource=record["resource"],
                stack=stack.key,
                fix=f"remove the comment and fix the resource, or add {record['check_id']} with a "
                "reason (and the resource type) to policies/skips.yaml for review",
            )
        )
    for relative in results["parsing_errors"]:
        findings.append(
            Finding(
                check_id="TRL_CHECKOV_PARSE",
                severity=Severity.ERROR,
                message="checkov could not parse this file, so none of its checks ran on it",
                validator=NAME,
                file=relative,
                stack=stack.key,
                fix="see the hcl_parse findings for this file",
            )
        )
    return findings


__all__ = ["NAME", "RUNS_EXTERNAL_PROCESS", "run", "skipped"]
