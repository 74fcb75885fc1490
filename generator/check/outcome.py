"""What one ``trellis check`` run produced: per-validator outcomes, findings and skips.

Reports are built from a :class:`CheckReport` only, so every format says the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from generator.policy.findings import Finding, Severity


class Status(StrEnum):
    """How a validator ended. Only ``passed`` counts as passing."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_AVAILABLE = "not available"


@dataclass(frozen=True)
class ValidatorOutcome:
    """One validator's result; ``detail`` says why it is not available, or what it covered."""

    name: str
    description: str
    status: Status
    findings: int = 0
    detail: str = ""


@dataclass(frozen=True, order=True)
class AppliedSkip:
    """A built-in check skipped on one resource by a ``#checkov:skip=ID:reason`` comment."""

    check_id: str
    resource: str
    file: str
    line: int | None
    stack: str | None
    reason: str


@dataclass(frozen=True)
class CheckReport:
    """Everything a report format needs; all sequences are sorted."""

    stacks: tuple[str, ...]
    validators: tuple[ValidatorOutcome, ...]
    findings: tuple[Finding, ...]
    skips: tuple[AppliedSkip, ...] = field(default=())

    @property
    def failing(self) -> tuple[Finding, ...]:
        """Findings that fail the run: errors and warnings."""
        return tuple(f for f in self.findings if f.severity is not Severity.NOTE)

    @property
    def exit_code(self) -> int:
        """0 when nothing fails, 1 when any finding fails or a validator is not available."""
        unavailable = any(v.status is Status.NOT_AVAILABLE for v in self.validators)
        return 1 if self.failing or unavailable else 0
