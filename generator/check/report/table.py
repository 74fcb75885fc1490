"""``--format table``: the human report, grouped by blueprint x environment.

Sections: validators and their status, findings per stack (then shared files such as
modules), a blueprint x environment summary matrix, the applied skips with their reviewed
reasons, and a closing line with the exit code. Colour only when asked (the command asks
on a TTY unless ``NO_COLOR`` is set).
"""

from __future__ import annotations

from collections import defaultdict

import click

from generator.check.outcome import CheckReport, Status
from generator.policy.findings import Finding, Severity

_SEVERITY_COLOUR = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}
_STATUS_COLOUR = {Status.PASSED: "green", Status.FAILED: "red", Status.NOT_AVAILABLE: "yellow"}


def render(report: CheckReport, build_prefix: str, color: bool) -> str:
    """The table as text, ending with a newline."""

    def paint(text: str, colour: str, bold: bool = False) -> str:
        return click.style(text, fg=colour, bold=bold) if color else text

    out: list[str] = []
    names = len(report.stacks)
    out.append(f"trellis check: {names} stack{'s' if names != 1 else ''} under {build_prefix}/")
    out.append("")
    out.append("Validators")
    width = max((len(v.name) for v in report.validators), default=10)
    for outcome in report.validators:
        status = outcome.status.value
        if outcome.status is Status.FAILED:
            status += f" ({outcome.findings})"
        note = outcome.detail or outcome.description
        out.append(
            f"  {outcome.name:<{width}}  "
            f"{paint(f'{status:<15}', _STATUS_COLOUR[outcome.status])} {note}"
        )

    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        grouped[finding.stack or ""].append(finding)
    if report.findings:
        out.append("")
        out.append("Findings by blueprint × environment")
        for key in sorted(grouped, key=lambda k: (k == "", _blueprint_env(k))):
            blueprint, env = _blueprint_env(key)
            title = f"{blueprint} × {env}  ({build_prefix}/{key})"
            title = title if key else "shared files"
            out.append(f"  {paint(title, 'white', bold=True)}")
            for finding in grouped[key]:
                place = finding.file or "-"
                if finding.line:
                    place += f":{finding.line}"
                severity = paint(f"{finding.severity.value:<7}", _SEVERITY_COLOUR[finding.severity])
                resource = f"  {finding.resource}" if finding.resource else ""
                out.append(f"    {severity} {finding.check_id}  {place}{resource}")
                out.append(f"            {finding.message}")
                if finding.fix:
                    out.append(f"            fix: {finding.fix}")

    out.append("")
    out.extend(_matrix(report, paint))

    if report.skips:
        out.append("")
        out.append("Skipped built-in checks (reviewed in policies/skips.yaml)")
        reasons: dict[tuple[str, str], int] = defaultdict(int)
        for skip in report.skips:
            reasons[(skip.check_id, skip.reason)] += 1
        id_width = max(len(check_id) for check_id, _ in reasons)
        for (check_id, reason), count in sorted(reasons.items()):
            noun = "resource" if count == 1 else "resources"
            out.append(f"  {check_id:<{id_width}}  {count:>4} {noun:<9}  {reason}")

    out.append("")
    failing = len(report.failing)
    unavailable = [v.name for v in report.validators if v.status is Status.NOT_AVAILABLE]
    verdict = (
        paint("clean", "green", bold=True)
        if report.exit_code == 0
        else paint("failed", "red", bold=True)
    )
    line = f"Result: {verdict}: {failing} failing finding{'s' if failing != 1 else ''}"
    if unavailable:
        line += f"; not available: {', '.join(unavailable)}"
    line += f"; {len(report.skips)} reviewed skips; exit {report.exit_code}"
    out.append(line)
    return "\n".join(out) + "\n"


def _blueprint_env(key: str) -> tuple[str, str]:
    env, _, blueprint = key.partition("/")
    return blueprint, env


def _matrix(report: CheckReport, paint: object) -> list[str]:
    """Rows are blueprints, columns environments, cells the failing findings of that stack."""
    assert callable(paint)
    counts: dict[str, int] = defaultdict(int)
    for finding in report.failing:
        if finding.stack:
            counts[finding.stack] += 1
    envs = sorted({_blueprint_env(k)[1] for k in report.stacks})
    blueprints = sorted({_blueprint_env(k)[0] for k in report.stacks})
    width = max([len("blueprint"), *(len(b) for b in blueprints)])
    lines = ["Summary (failing findings per stack)"]
    lines.append("  " + f"{'blueprint':<{width}}" + "".join(f"  {e:>6}" for e in envs))
    for blueprint in blueprints:
        cells = []
        for env in envs:
            key = f"{env}/{blueprint}"
            if key not in report.stacks:
                cells.append(f"  {'-':>6}")
            elif counts[key]:
                cells.append("  " + paint(f"{counts[key]:>6}", "red"))
            else:
                cells.append("  " + paint(f"{'ok':>6}", "green"))
        lines.append("  " + f"{blueprint:<{width}}" + "".join(cells))
    shared = sum(1 for f in report.failing if not f.stack)
    if shared:
        lines.append(f"  shared files: {shared} failing")
    return lines
