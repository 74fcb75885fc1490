"""What every IAM check sees and returns, and how checks register.

A check is a subclass of :class:`IamCheck` in its own module under this package; defining
the subclass registers it (the same way checkov registers checks), so adding a check is
adding a file. Its metadata (``check_id``, ``description``, ``fix``, ``severity``) are
class attributes; :meth:`IamCheck.scan` looks at one
:class:`~generator.iam.model.Statement` of the one policy model and yields
:class:`Violation` values naming the action and resource concerned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from generator.check.iam.catalogue import IamCatalogue
from generator.iam.model import Statement
from generator.iam.wildcards import WildcardAllowList
from generator.policy.findings import Severity


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

    def scan(self, statement: Statement, env: LintEnv) -> Iterable[Violation]:
        """Violations in ``statement``; the default finds none."""
        raise NotImplementedError
