"""TRL_IAM_RESOURCE_TYPE: each resource is an ARN of a type the action accepts."""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.iam.checks.base import IamCheck, LintEnv, Violation
from generator.iam.model import Statement, has_wildcard, resource_matches_format


class ResourceType(IamCheck):
    """``s3:GetObject`` on a bucket ARN grants nothing; it needs ``bucket/prefix/*``."""

    check_id = "TRL_IAM_RESOURCE_TYPE"
    description = "Every (action, resource) pair names a resource type the action accepts"
    fix = "use the ARN format of a resource type the action accepts, or split the statement"

    def scan(self, statement: Statement, env: LintEnv) -> Iterator[Violation]:
        """One violation per pair whose resource matches none of the action's types."""
        if not statement.allows:
            return
        for action, resource in statement.pairs():
            if resource == "*" or has_wildcard(action):
                continue
            info = env.catalogue.lookup(action)
            if info is None:
                continue
            if not info.resource_types:
                yield Violation(
                    f"is defined on no resource type, so resource {resource!r} grants "
                    "nothing; it can only be granted on '*' (listed in "
                    f"{env.allowlist.source})",
                    action=action,
                    resource=resource,
                )
                continue
            if not any(
                resource_matches_format(resource, t.arn_format) for t in info.resource_types
            ):
                expected = "; ".join(f"{t.name}: {t.arn_format}" for t in info.resource_types)
                yield Violation(
                    f"does not accept {resource!r}: it is no ARN of the resource types "
                    f"{info.name} accepts ({expected})",
                    action=action,
                    resource=resource,
                )
