"""The finding type every validator returns, and the severities.

A validator is a small module with a function that takes the rendered tree (a directory
on disk under ``build/``) and returns a list of :class:`Finding`. Reports (table, json,
sarif, junit, github) are built from findings only, so every validator reads the same way
to a person and to CI.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad a finding is; ``error`` and ``warning`` fail ``trellis check``."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found in the rendered output.

    ``check_id`` is stable (``CKV_AWS_18``, ``CKV_TRL_3``, ``TRL_SCHEMA_UNKNOWN_ARG``,
    ``TRL_IAM_WILDCARD``...). ``file`` is relative to the build directory in POSIX form;
    ``line`` is 1-based when known. ``resource`` is the Terraform address
    (``module.pipeline.aws_sqs_queue.main``) when the finding is about one resource.
    ``stack`` is ``<env>/<blueprint>`` for findings inside a root stack, ``None`` for
    shared files (modules, workflows). ``fix`` tells the reader what to change.
    """

    check_id: str
    severity: Severity
    message: str
    validator: str
    file: str | None = None
    line: int | None = None
    resource: str | None = None
    stack: str | None = None
    fix: str = ""

    def to_record(self) -> dict[str, object]:
        """JSON-ready dict with the severity as its string value."""
        record = asdict(self)
        record["severity"] = self.severity.value
        return record


def finding_order(finding: Finding) -> tuple[str, str, int, str, str, str]:
    """The order a check report lists findings in (stack, file, line, check, resource, text)."""
    return (
        finding.stack or "",
        finding.file or "",
        finding.line or 0,
        finding.check_id,
        finding.resource or "",
        finding.message,
    )
