"""Validator ``checkov``: built-in checks, trellis' ``CKV_TRL_`` policies and ``--policies``.

checkov scans only the root stacks whose digest changed since their results were cached
(see :mod:`generator.check.checkov_cache`); unchanged stacks reuse their cached results.
The stacks to scan are split into groups of similar size, each scanned by its own checkov
process, at most one running per job (``--jobs``; :mod:`generator.check.checkov_groups`):
checkov builds its graph on one core, so this is how a check uses every core, and small
groups keep checkov's time per stack from growing with the repository. Every
failed check becomes a :class:`Finding` with the file relative to the build directory, the
line, the resource address, the check id and name and checkov's guideline as the fix.

Skips: every ``#checkov:skip`` comment checkov applied is listed by :func:`skipped` with its
reason; a skip comment whose check id (and resource type) is not in the reviewed table
``policies/skips.yaml`` is a ``TRL_SKIP_UNREVIEWED`` finding.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.check.checkov_cache import (
    ResultCache,
    ScanInputs,
    policy_digest,
    scan_key,
    stack_digest,
)
from generator.check.checkov_groups import empty_result, start_lanes
from generator.check.checkov_tool import CheckovProcess, checkov_version
from generator.check.context import CheckContext, StackRef
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
    of a second; the first one starts importing checkov before the stacks' digests are
    known (it is stopped if every stack's results are cached).
    """
    executable = find_checkov()
    warm = CheckovProcess(executable)  # imports checkov while the digests are worked out
    try:
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
    except BaseException:
        warm.cancel()
        raise
    lanes = start_lanes(context, stale, executable, inputs, warm)

    def finish() -> list[Finding]:
        scanned: dict[str, Any] = {}
        try:
            for lane in lanes:
                scanned.update(lane.result())
        finally:
            for lane in lanes:
                lane.cancel()
        for stack in stale:
            results[stack] = scanned.get(scan_key(stack), empty_result())
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
        for record in (entry or empty_result())["skipped"]:
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
