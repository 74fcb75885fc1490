"""``trellis check --merge``: the reports of N shards → the report one full check writes.

Shards check disjoint stacks (and shard 1 the shared files), so merging is a union:
stacks, findings and skips de-duplicated and sorted exactly as :func:`run_checks` sorts
them, and each validator's outcome recomputed from the merged findings the way the runner
computes it (not available in any shard → not available; any failing finding → failed).
Rendering the merged report with the usual renderer makes the output byte-identical to
the unsharded check's.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.check.outcome import CheckReport, Status, ValidatorOutcome
from generator.check.report.merge_junit import merge_junit
from generator.check.report.order import stack_order, validator_order
from generator.check.report.readback import detect_format, read_json, read_sarif
from generator.errors import UserError
from generator.policy.findings import Severity, finding_order


def merge_reports(reports: Sequence[CheckReport]) -> CheckReport:
    """One report holding every input's stacks, findings and skips, outcomes recomputed."""
    findings = {f for report in reports for f in report.findings}
    outcomes: dict[str, list[ValidatorOutcome]] = {}
    for report in reports:
        for outcome in report.validators:
            outcomes.setdefault(outcome.name, []).append(outcome)
    merged: list[ValidatorOutcome] = []
    for name in sorted(outcomes, key=validator_order):
        seen = outcomes[name]
        missing = [o for o in seen if o.status is Status.NOT_AVAILABLE]
        if missing:
            merged.append(missing[0])
            continue
        own = [f for f in findings if f.validator == name]
        failing = any(f.severity is not Severity.NOTE for f in own)
        merged.append(
            ValidatorOutcome(
                name,
                seen[0].description,
                Status.FAILED if failing else Status.PASSED,
                findings=len(own),
            )
        )
    return CheckReport(
        stacks=tuple(sorted({s for r in reports for s in r.stacks}, key=stack_order)),
        validators=tuple(merged),
        findings=tuple(sorted(findings, key=finding_order)),
        skips=tuple(sorted({s for r in reports for s in r.skips})),
    )


def merge_files(paths: Sequence[Path], output_format: str | None) -> tuple[str, int, str]:
    """Merge report files; returns (text, exit code, format written).

    All inputs must be one format. JSON and SARIF merge into any ``output_format``
    (default: theirs); JUnit, which holds only failing findings, merges into JUnit only.
    Raises :class:`UserError` for unreadable, mixed or mismatched inputs.
    """
    from generator.check.report import render

    if not paths:
        raise UserError.single(
            "--merge", "no reports to merge", hint="trellis check --merge shard-*.sarif"
        )
    texts: list[tuple[Path, str]] = []
    for path in paths:
        try:
            texts.append((path, path.read_text(encoding="utf-8")))
        except OSError as err:
            raise UserError.single(
                path.as_posix(), f"cannot read this report: {err.strerror}"
            ) from None
    formats = {path: detect_format(path, text) for path, text in texts}
    kinds = sorted(set(formats.values()))
    if len(kinds) > 1:
        listing = ", ".join(f"{p.as_posix()} ({f})" for p, f in formats.items())
        raise UserError.single(
            "--merge",
            f"the reports are of different formats: {listing}",
            hint="merge the shards' SARIF files together, their JUnit files together",
        )
    source = kinds[0]
    target = output_format or source
    if source == "junit":
        if target != "junit":
            raise UserError.single(
                "--format",
                f"JUnit reports hold only failing findings, so they merge into junit, not {target}",
                hint="merge the shards' SARIF or JSON reports to write other formats",
            )
        return merge_junit(texts)
    reader = read_sarif if source == "sarif" else read_json
    read = [reader(path, text) for path, text in texts]
    prefixes = sorted({prefix for _, prefix in read})
    if len(prefixes) > 1:
        raise UserError.single(
            "--merge",
            f"the reports check different build directories: {', '.join(prefixes)}",
            hint="merge the shards of one check",
        )
    report = merge_reports([r for r, _ in read])
    return render(report, target, build_prefix=prefixes[0]), report.exit_code, target
