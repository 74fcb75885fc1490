"""``--format json``: the whole report as one sorted JSON document."""

from __future__ import annotations

import json
from dataclasses import asdict

from generator.check.outcome import CheckReport


def render(report: CheckReport, build_prefix: str, color: bool) -> str:
    """``{"summary", "stacks", "validators", "findings", "skips"}`` with sorted keys."""
    del color
    document = {
        "build_dir": build_prefix,
        "summary": {
            "exit_code": report.exit_code,
            "findings": len(report.findings),
            "failing": len(report.failing),
            "skips": len(report.skips),
            "stacks": len(report.stacks),
        },
        "stacks": list(report.stacks),
        "validators": [{**asdict(v), "status": v.status.value} for v in report.validators],
        "findings": [f.to_record() for f in report.findings],
        "skips": [asdict(s) for s in report.skips],
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"
