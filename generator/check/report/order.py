"""The orders a full check sorts stacks and findings in, which a merge must reproduce."""

from __future__ import annotations

from generator.policy.findings import Finding


def stack_order(key: str) -> tuple[str, str]:
    """Sort key of a stack key, as discovery orders stacks: environment, then name."""
    env, _, name = key.partition("/")
    return env, name


def finding_order(finding: Finding) -> tuple[str, str, int, str, str, str]:
    """The order the runner sorts findings in (stack, file, line, check, resource, text)."""
    return (
        finding.stack or "",
        finding.file or "",
        finding.line or 0,
        finding.check_id,
        finding.resource or "",
        finding.message,
    )


def validator_order(name: str) -> tuple[int, str]:
    """Registry order of a validator name; unknown names after, alphabetically."""
    from generator.check.runner import validator_names

    names = validator_names()
    return (names.index(name) if name in names else len(names), name)
