"""TRL_IAM_PASSROLE_CONDITION: ``iam:PassRole`` only with ``iam:PassedToService``."""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.iam.checks.base import IamCheck, LintEnv, Violation
from generator.iam.model import Statement


class PassRoleCondition(IamCheck):
    """Without the condition a role can be passed to any service, e.g. to EC2 for a shell."""

    check_id = "TRL_IAM_PASSROLE_CONDITION"
    description = "iam:PassRole carries an iam:PassedToService condition"
    fix = (
        "add Condition StringEquals iam:PassedToService: <service principal>, e.g. "
        "lambda.amazonaws.com"
    )

    def scan(self, statement: Statement, env: LintEnv) -> Iterator[Violation]:
        """A violation when an Allow grants iam:PassRole without the condition key."""
        if not statement.allows:
            return
        if "iam:passedtoservice" in statement.condition_keys():
            return
        for action in statement.actions:
            if action.lower() == "iam:passrole":
                yield Violation(
                    "is granted without an iam:PassedToService condition", action=action
                )
