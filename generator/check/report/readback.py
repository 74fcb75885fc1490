"""Read a written JSON or SARIF report back into the :class:`CheckReport` it was made from.

Both formats hold the whole report: JSON as its document, SARIF in the ``trellis*``
property bags of its run and results. JUnit holds only the failing findings and is merged
as XML (:mod:`generator.check.report.merge_junit`). What can go wrong is a file that is not
one of these reports, or one written by a trellis without the property bags: each raises
:class:`UserError` naming the file and what it lacks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.check.outcome import AppliedSkip, CheckReport, Status, ValidatorOutcome
from generator.errors import UserError
from generator.policy.findings import Finding, Severity


def detect_format(path: Path, text: str) -> str:
    """``json``, ``sarif`` or ``junit`` for a report's text; :class:`UserError` otherwise."""
    stripped = text.lstrip()
    if stripped.startswith("<"):
        return "junit"
    try:
        document = json.loads(text)
    except ValueError as err:
        raise UserError.single(
            path.as_posix(),
            f"not a trellis check report: neither XML nor JSON ({err})",
            hint="merge the files `trellis check --shard K/N --format sarif|junit|json` wrote",
        ) from None
    if isinstance(document, dict) and "runs" in document:
        return "sarif"
    if isinstance(document, dict) and "summary" in document and "findings" in document:
        return "json"
    raise UserError.single(
        path.as_posix(),
        "JSON, but neither a SARIF log nor a trellis check JSON report",
        hint="merge the files `trellis check --shard K/N --format sarif|junit|json` wrote",
    )


def _finding(record: dict[str, Any]) -> Finding:
    return Finding(**{**record, "severity": Severity(record["severity"])})


def _outcome(record: dict[str, Any]) -> ValidatorOutcome:
    return ValidatorOutcome(**{**record, "status": Status(record["status"])})


def read_json(path: Path, text: str) -> tuple[CheckReport, str]:
    """The report and its build prefix from ``--format json`` output."""
    document = json.loads(text)
    try:
        report = CheckReport(
            stacks=tuple(document["stacks"]),
            validators=tuple(_outcome(v) for v in document["validators"]),
            findings=tuple(_finding(f) for f in document["findings"]),
            skips=tuple(AppliedSkip(**s) for s in document["skips"]),
        )
        return report, str(document["build_dir"])
    except (KeyError, TypeError, ValueError) as err:
        raise UserError.single(
            path.as_posix(),
            f"not a complete trellis check JSON report ({type(err).__name__}: {err})",
            hint="merge the files `trellis check --format json` wrote, unedited",
        ) from None


def read_sarif(path: Path, text: str) -> tuple[CheckReport, str]:
    """The report and its build prefix from ``--format sarif`` output."""
    document = json.loads(text)
    try:
        (run,) = document["runs"]
        meta = run["properties"]["trellisReport"]
        findings = []
        skips = []
        for result in run["results"]:
            bag = result["properties"]
            if "trellisSkip" in bag:
                skips.append(AppliedSkip(**bag["trellisSkip"]))
            else:
                findings.append(_finding(bag["trellisFinding"]))
        report = CheckReport(
            stacks=tuple(meta["stacks"]),
            validators=tuple(_outcome(v) for v in meta["validators"]),
            findings=tuple(findings),
            skips=tuple(skips),
        )
        return report, str(meta["buildDir"])
    except (KeyError, TypeError, ValueError) as err:
        raise UserError.single(
            path.as_posix(),
            f"this SARIF log lacks the trellis properties a merge needs ({type(err).__name__}: "
            f"{err})",
            hint="merge SARIF written by `trellis check --format sarif` of this version; "
            "for other tools' SARIF use a generic SARIF merger",
        ) from None
