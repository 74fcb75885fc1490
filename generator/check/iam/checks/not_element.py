"""TRL_IAM_NOT_ELEMENT: no ``NotAction`` or ``NotResource``: they grant by exclusion."""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.iam.checks.base import IamCheck, LintEnv, Violation
from generator.iam.model import Statement


class NotElement(IamCheck):
    """``NotAction``/``NotResource`` in an Allow grant everything not listed."""

    check_id = "TRL_IAM_NOT_ELEMENT"
    description = "No NotAction or NotResource"
    fix = "replace NotAction/NotResource with the exact Action and Resource lists"

    def scan(self, statement: Statement, env: LintEnv) -> Iterator[Violation]:
        """One violation per ``Not*`` element, whatever the effect."""
        if statement.not_actions:
            yield Violation(
                f"uses NotAction ({', '.join(statement.not_actions)}): it grants every other action"
            )
        if statement.not_resources:
            yield Violation(
                f"uses NotResource ({', '.join(statement.not_resources)}): it grants every "
                "other resource"
            )
