"""Terraform's JSON diagnostics turned into findings with build-relative file and line.

``terraform validate -json`` prints one document with a ``diagnostics`` list; ``init``
and ``plan`` with ``-json`` print one JSON message per line, diagnostics among them.
Each diagnostic's ``range.filename`` is relative to the directory Terraform ran in (the
stack's mirror) or, for modules Terraform reached through a symlink, absolute; the caller
maps it back to the real file, reported relative to the build directory
(``modules/queue/main.tf``).

The warning Terraform prints about the offline provider's own ``dev_overrides`` is
dropped: it describes trellis's wiring, not the user's configuration.

What can go wrong: output that is not JSON (Terraform crashed) becomes one error finding
carrying the raw text, so nothing is silently lost.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable
from typing import Any, Final

from generator.policy.findings import Finding, Severity

VALIDATOR: Final = "terraform_validate"
_OWN_WARNINGS: Final = frozenset({"Provider development overrides are in effect"})
_CONTEXT = re.compile(r'^(resource|data)\s+"([^"]+)"\s+"([^"]+)"')
_FIXES: Final = {
    "Unsupported argument": "Remove the argument or correct its name; the AWS provider "
    "schema lists the arguments this type accepts.",
    "Missing required argument": "Add the argument; the AWS provider requires it.",
    "Reference to undeclared input variable": "Declare the variable in variables.tf or "
    "correct the reference.",
    "Unsupported block type": "Remove the block or correct its name; the AWS provider "
    "schema lists the nested blocks this type accepts.",
    "Invalid resource type": "Use a resource type that hashicorp/aws provides.",
    "Invalid data source": "Use a data source that hashicorp/aws provides.",
    "Incorrect attribute value type": "Give the argument a value of the type the schema declares.",
    "Unsupported attribute": "Reference an output or attribute that exists.",
    "Computed attribute cannot be set": "Remove the argument; the provider sets it.",
}


def parse_document(stdout: str) -> list[dict[str, Any]]:
    """Diagnostics from a single JSON document (``validate -json``)."""
    try:
        document = json.loads(stdout)
    except ValueError:
        return [_raw(stdout)]
    diagnostics: list[dict[str, Any]] = document.get("diagnostics", [])
    return diagnostics


def parse_lines(stdout: str) -> list[dict[str, Any]]:
    """Diagnostics from a JSON-lines stream (``init -json``, ``plan -json``)."""
    found: list[dict[str, Any]] = []
    for line in stdout.splitlines():
        if not line.strip():
            continue
        try:
            message = json.loads(line)
        except ValueError:
            found.append(_raw(line))
            continue
        if message.get("type") == "diagnostic" and "diagnostic" in message:
            found.append(message["diagnostic"])
    return found


def _fix(summary: str) -> str:
    if summary.startswith("Too many ") and summary.endswith(" blocks"):
        return "Keep only as many blocks as the schema allows (this one allows a single block)."
    return _FIXES.get(summary, "")


def _raw(text: str) -> dict[str, Any]:
    return {"severity": "error", "summary": "Terraform failed", "detail": text.strip()}


def to_findings(
    diagnostics: list[dict[str, Any]],
    *,
    stack_rel: str,
    stack_key: str,
    check_id: str,
    locate: Callable[[str], str],
    stderr: str = "",
) -> list[Finding]:
    """Findings for ``diagnostics`` of the stack at ``stack_rel`` (POSIX, build-relative).

    ``locate`` maps a file name as Terraform reported it to the build-relative path.
    """
    findings: list[Finding] = []
    for diagnostic in diagnostics:
        summary = str(diagnostic.get("summary", "")).strip()
        if summary in _OWN_WARNINGS:
            continue
        severity = Severity.ERROR if diagnostic.get("severity") == "error" else Severity.WARNING
        detail = " ".join(str(diagnostic.get("detail", "")).split())
        where = diagnostic.get("range") or {}
        file = None
        if where.get("filename"):
            file = locate(str(where["filename"]))
        line = (where.get("start") or {}).get("line")
        findings.append(
            Finding(
                check_id=check_id,
                severity=severity,
                message=f"{summary}: {detail}" if detail else summary,
                validator=VALIDATOR,
                file=file,
                line=int(line) if line else None,
                resource=_resource(diagnostic, file, stack_rel),
                stack=stack_key,
                fix=_fix(summary),
            )
        )
    if not findings and stderr.strip():
        findings.append(
            Finding(
                check_id=check_id,
                severity=Severity.ERROR,
                message=f"Terraform failed: {' '.join(stderr.split())[:2000]}",
                validator=VALIDATOR,
                stack=stack_key,
            )
        )
    return sorted(findings, key=lambda f: (f.file or "", f.line or 0, f.message))


def _resource(diagnostic: dict[str, Any], file: str | None, stack_rel: str) -> str | None:
    """``aws_sqs_queue.q`` / ``data.x.y`` for diagnostics in the stack's own files."""
    if file is None or posixpath.dirname(file) != stack_rel:
        return None
    context = str((diagnostic.get("snippet") or {}).get("context") or "")
    match = _CONTEXT.match(context)
    if not match:
        return None
    kind, type_name, name = match.groups()
    return f"{type_name}.{name}" if kind == "resource" else f"data.{type_name}.{name}"
