"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning.

One run, tool ``trellis``, one rule per check id (with a short description and help text),
one result per finding located by the file's path from the repository root
(``build/dev/orders/main.tf``) and its line. Applied skips are results too, with an
``inSource`` suppression carrying the reviewed reason, so code scanning shows them as
dismissed rather than losing them. Stable ``partialFingerprints`` let code scanning track
a finding across runs.

Each result also carries its finding (``properties.trellisFinding``) or applied skip
(``properties.trellisSkip``) as a record, and the run the report's stacks and validator
outcomes (``properties.trellisReport``), so ``trellis check --merge`` reads a shard's
SARIF back without loss and writes exactly what one unsharded check would have.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

from generator import __version__
from generator.check.outcome import AppliedSkip, CheckReport, Status
from generator.check.report.rules import rule_help, rule_title
from generator.policy.findings import Finding, Severity

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _location(build_prefix: str, file: str | None, line: int | None) -> dict[str, Any]:
    uri = f"{build_prefix}/{file}" if file else build_prefix
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": uri},
            "region": {"startLine": line or 1},
        }
    }


def _rule(finding: Finding) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": finding.check_id,
        "name": finding.check_id,
        "shortDescription": {"text": rule_title(finding)},
        "fullDescription": {"text": rule_title(finding)},
        "help": {"text": rule_help(finding), "markdown": rule_help(finding)},
        "defaultConfiguration": {"level": _LEVEL[finding.severity]},
        "properties": {"tags": ["terraform", "trellis", finding.validator]},
    }
    if finding.fix.startswith(("https://", "http://")):
        rule["helpUri"] = finding.fix
    return rule


def render(report: CheckReport, build_prefix: str, color: bool) -> str:
    """The SARIF log as pretty-printed JSON with sorted keys."""
    del color
    rules: dict[str, dict[str, Any]] = {}
    for finding in report.findings:
        rules.setdefault(finding.check_id, _rule(finding))
    for skip in report.skips:
        rules.setdefault(skip.check_id, _skip_rule(skip))
    rule_ids = sorted(rules)
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    results = [_result(f, build_prefix, index) for f in report.findings]
    results += [_skip_result(s, build_prefix, index) for s in report.skips]
    notifications = [
        {"level": "error", "message": {"text": f"validator {v.name} is not available: {v.detail}"}}
        for v in report.validators
        if v.status is Status.NOT_AVAILABLE
    ]
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "trellis",
                        "version": __version__,
                        "informationUri": "https://github.com/trellis-iac/trellis",
                        "rules": [rules[rule_id] for rule_id in rule_ids],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not notifications,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
                "properties": {
                    "trellisReport": {
                        "buildDir": build_prefix,
                        "stacks": list(report.stacks),
                        "validators": [
                            {**asdict(v), "status": v.status.value} for v in report.validators
                        ],
                    }
                },
            }
        ],
    }
    return json.dumps(log, indent=2, sort_keys=True) + "\n"


def _result(finding: Finding, build_prefix: str, index: dict[str, int]) -> dict[str, Any]:
    parts = [finding.message]
    if finding.resource:
        parts.append(f"resource {finding.resource}")
    if finding.stack:
        parts.append(f"stack {finding.stack}")
    text = "; ".join(parts) + (f". Fix: {finding.fix}" if finding.fix else "")
    return {
        "ruleId": finding.check_id,
        "ruleIndex": index[finding.check_id],
        "level": _LEVEL[finding.severity],
        "message": {"text": text},
        "locations": [_location(build_prefix, finding.file, finding.line)],
        "properties": {"trellisFinding": finding.to_record()},
        "partialFingerprints": {
            "trellisFinding/v1": _fingerprint(
                finding.check_id,
                finding.stack or "",
                finding.file or "",
                finding.resource or "",
                finding.message,
            )
        },
    }


def _skip_rule(skip: AppliedSkip) -> dict[str, Any]:
    text = f"checkov check {skip.check_id}, skipped by the reviewed table policies/skips.yaml"
    return {
        "id": skip.check_id,
        "name": skip.check_id,
        "shortDescription": {"text": text},
        "fullDescription": {"text": text},
        "help": {"text": f"{text}: {skip.reason}", "markdown": f"{text}: {skip.reason}"},
        "defaultConfiguration": {"level": "note"},
    }


def _skip_result(skip: AppliedSkip, build_prefix: str, index: dict[str, int]) -> dict[str, Any]:
    return {
        "ruleId": skip.check_id,
        "ruleIndex": index[skip.check_id],
        "level": "note",
        "message": {"text": f"{skip.check_id} skipped on {skip.resource}: {skip.reason}"},
        "locations": [_location(build_prefix, skip.file, skip.line)],
        "suppressions": [{"kind": "inSource", "justification": skip.reason}],
        "properties": {"trellisSkip": asdict(skip)},
        "partialFingerprints": {
            "trellisFinding/v1": _fingerprint(
                "skip", skip.check_id, skip.stack or "", skip.file, skip.resource
            )
        },
    }
