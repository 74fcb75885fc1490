"""The orders a full check sorts stacks and validators in, which a merge must reproduce
(findings: :func:`generator.policy.findings.finding_order`)."""

from __future__ import annotations


def stack_order(key: str) -> tuple[str, str]:
    """Sort key of a stack key, as discovery orders stacks: environment, then name."""
    env, _, name = key.partition("/")
    return env, name


def validator_order(name: str) -> tuple[int, str]:
    """Registry order of a validator name; unknown names after, alphabetically."""
    from generator.check.runner import validator_names

    names = validator_names()
    return (names.index(name) if name in names else len(names), name)
