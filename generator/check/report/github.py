"""``--format github``: GitHub Actions workflow commands that annotate the pull request.

``::error file=build/dev/orders/main.tf,line=12,title=CKV_AWS_18::message``. Data is
escaped as the runner expects (``%``, CR, LF; in properties also ``:`` and ``,``).
"""

from __future__ import annotations

from generator.check.outcome import CheckReport, Status
from generator.policy.findings import Severity

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: CheckReport, build_prefix: str, color: bool) -> str:
    """One workflow command per failing finding and per validator that is not available.

    Notes (``TRL_TF_CONFIG_UNREAD`` and the like: facts about the tools that nobody can act
    on in the pull request) and skips (reviewed in policies/skips.yaml) are not annotated:
    GitHub shows only a few annotations per step, and each one should ask for a change.
    The table, json and sarif formats list them.
    """
    del color
    lines = []
    for finding in report.findings:
        if finding.severity is Severity.NOTE:
            continue
        props = []
        if finding.file:
            props.append(f"file={_property(f'{build_prefix}/{finding.file}')}")
            if finding.line:
                props.append(f"line={finding.line}")
        props.append(f"title={_property(finding.check_id)}")
        where = f" ({finding.resource})" if finding.resource else ""
        stack = f" [{finding.stack}]" if finding.stack else ""
        fix = f"\nfix: {finding.fix}" if finding.fix else ""
        message = f"{finding.message}{where}{stack}{fix}"
        lines.append(f"::{_COMMAND[finding.severity]} {','.join(props)}::{_data(message)}")
    for outcome in report.validators:
        if outcome.status is Status.NOT_AVAILABLE:
            lines.append(
                f"::error title={_property('trellis check')}::"
                f"{_data(f'validator {outcome.name} is not available: {outcome.detail}')}"
            )
    return "\n".join(lines) + ("\n" if lines else "")
