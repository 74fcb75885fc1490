"""What every IAM check sees and returns, and how checks register.

A check is a subclass of :class:`IamCheck` in its own module under this package; defining
the subclass registers it (the same way checkov registers checks), so adding a check is
adding a file. Its metadata (``check_id``, ``description``, ``fix``, ``severity``) are
class attributes; :meth:`IamCheck.scan` looks at one statement and yields
:class:`Violation` values naming the action and resource concerned.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from generator.check.iam.catalogue import IamCatalogue
from generator.iam.wildcards import WildcardAllowList
from generator.policy.findings import Severity


def as_strings(value: Any) -> tuple[str, ...]:
    """An IAM element that may be a string or a list of strings, as a tuple."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    return (str(value),)


@dataclass(frozen=True)
class StatementView:
    """One statement of a policy document, normalised; ``name`` is its Sid or ``#<n>``."""

    index: int
    name: str
    effect: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    not_actions: tuple[str, ...]
    not_resources: tuple[str, ...]
    conditions: Mapping[str, Mapping[str, tuple[str, ...]]]

    @classmethod
    def parse(cls, index: int, raw: Mapping[str, Any]) -> StatementView:
        """Normalise a JSON statement (string-or-list elements become tuples)."""
        conditions: dict[str, dict[str, tuple[str, ...]]] = {}
        block = raw.get("Condition")
        if isinstance(block, Mapping):
            for operator, keys in block.items():
                if isinstance(keys, Mapping):
                    conditions[str(operator)] = {str(k): as_strings(v) for k, v in keys.items()}
        sid = raw.get("Sid")
        return cls(
            index=index,
            name=str(sid) if sid else f"#{index + 1}",
            effect=str(raw.get("Effect", "")),
            actions=as_strings(raw.get("Action")),
            resources=as_strings(raw.get("Resource")),
            not_actions=as_strings(raw.get("NotAction")),
            not_resources=as_strings(raw.get("NotResource")),
            conditions=conditions,
        )

    @property
    def allows(self) -> bool:
        """Whether this is an Allow statement (the only kind that grants anything)."""
        return self.effect == "Allow"

    def condition_keys(self) -> set[str]:
        """Every condition key used, lower-cased (IAM compares keys case-insensitively)."""
        return {key.lower() for keys in self.conditions.values() for key in keys}

    def pairs(self) -> Iterator[tuple[str, str]]:
        """Every (action, resource) the statement names."""
        for action in self.actions:
            for resource in self.resources:
                yield action, resource


@dataclass(frozen=True)
class Violation:
    """What a check found in one statement; ``action``/``resource`` when it is about one."""

    message: str
    action: str | None = None
    resource: str | None = None


@dataclass(frozen=True)
class LintEnv:
    """What checks may consult: the action catalogue and the reviewed wildcard list."""

    catalogue: IamCatalogue
    allowlist: WildcardAllowList
    placeholders: Mapping[str, str]


class IamCheck:
    """Base of the built-in checks; subclasses register themselves."""

    check_id: ClassVar[str]
    description: ClassVar[str]
    fix: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR
    registry: ClassVar[list[type[IamCheck]]] = []

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        IamCheck.registry.append(cls)

    def scan(self, statement: StatementView, env: LintEnv) -> Iterable[Violation]:
        """Violations in ``statement``; the default finds none."""
        raise NotImplementedError


def has_wildcard(text: str) -> bool:
    """Whether an action or resource uses IAM wildcards."""
    return "*" in text or "?" in text
