"""TRL_IAM_WILDCARD_ACTION: no ``*``, ``service:*`` or ``s3:Get*`` in an Allow's actions."""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.iam.checks.base import IamCheck, LintEnv, Violation
from generator.iam.model import Statement, has_wildcard


class WildcardAction(IamCheck):
    """An action pattern grants every action it matches, today's and those AWS adds later."""

    check_id = "TRL_IAM_WILDCARD_ACTION"
    description = "Actions are named exactly; no wildcards"
    fix = "list the exact actions the function calls (the runtime declares them)"

    def scan(self, statement: Statement, env: LintEnv) -> Iterator[Violation]:
        """One violation per wildcard action in an Allow statement."""
        if not statement.allows:
            return
        for action in statement.actions:
            if action == "*":
                yield Violation("grants every action of every service ('*')", action=action)
            elif action.endswith(":*"):
                yield Violation(f"grants every action of {action[:-2]} ({action!r})", action)
            elif has_wildcard(action):
                yield Violation(
                    f"is a wildcard ({action!r}) that grants every matching action, "
                    "including ones AWS adds later",
                    action=action,
                )
