"""TRL_IAM_WILDCARD_RESOURCE: ``Resource: "*"`` only for actions on the reviewed list."""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.iam.checks.base import IamCheck, LintEnv, Violation
from generator.iam.model import Statement


class WildcardResource(IamCheck):
    """``*`` as a resource is allowed only where AWS defines the action on no resource."""

    check_id = "TRL_IAM_WILDCARD_RESOURCE"
    description = "Resource '*' only for actions listed in policies/iam/wildcard-resources.yaml"
    fix = (
        "name the resource's ARN; if AWS defines the action on no resource, add it with "
        "its reason to policies/iam/wildcard-resources.yaml (reviewed)"
    )

    def scan(self, statement: Statement, env: LintEnv) -> Iterator[Violation]:
        """One violation per action granted on ``*`` that the list does not name."""
        if not statement.allows or "*" not in statement.resources:
            return
        for action in statement.actions:
            if not env.allowlist.allows(action):
                yield Violation(
                    f"is granted on resource '*' but is not listed in {env.allowlist.source}",
                    action=action,
                    resource="*",
                )
