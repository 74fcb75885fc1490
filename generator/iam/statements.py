"""Policy statements in a small typed form, and their JSON shape.

The same values feed both outputs: :meth:`PolicyDocument.to_json` for the review copy in
``build/<env>/<blueprint>/iam/<function>.json`` and the renderer, which turns each
:class:`Statement` into a ``statement`` block of an ``aws_iam_policy_document`` (``sid``,
``effect``, ``actions``, ``resources``, one ``condition`` block per :class:`Condition`
with ``test``, ``variable`` and ``values``).
"""

from __future__ import annotations

from dataclasses import dataclass

POLICY_VERSION = "2012-10-17"


@dataclass(frozen=True, order=True)
class Condition:
    """One condition: ``test`` is the operator (``StringEquals``), ``variable`` the key."""

    test: str
    variable: str
    values: tuple[str, ...]


@dataclass(frozen=True, order=True)
class Statement:
    """An Allow statement: sorted actions on sorted resources, with its conditions."""

    sid: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    conditions: tuple[Condition, ...] = ()
    effect: str = "Allow"

    def to_json(self) -> dict[str, object]:
        """The IAM JSON form; single values stay lists so the layout never changes shape."""
        record: dict[str, object] = {
            "Sid": self.sid,
            "Effect": self.effect,
            "Action": list(self.actions),
            "Resource": list(self.resources),
        }
        if self.conditions:
            block: dict[str, dict[str, list[str]]] = {}
            for condition in self.conditions:
                block.setdefault(condition.test, {})[condition.variable] = list(condition.values)
            record["Condition"] = block
        return record

    def to_hcl_block(self) -> dict[str, object]:
        """The arguments of an ``aws_iam_policy_document`` ``statement`` block.

        ``condition`` is a list of ``{"test", "variable", "values"}`` (one nested block
        each); lists keep the derivation's sorted order.
        """
        return {
            "sid": self.sid,
            "effect": self.effect,
            "actions": list(self.actions),
            "resources": list(self.resources),
            "condition": [
                {"test": c.test, "variable": c.variable, "values": list(c.values)}
                for c in self.conditions
            ],
        }


@dataclass(frozen=True)
class PolicyDocument:
    """An identity policy: statements ordered by ``sid``."""

    statements: tuple[Statement, ...]

    def to_json(self) -> dict[str, object]:
        """``{"Version": "2012-10-17", "Statement": [...]}``."""
        return {
            "Version": POLICY_VERSION,
            "Statement": [statement.to_json() for statement in self.statements],
        }


@dataclass(frozen=True)
class TrustPolicy:
    """Who may assume the role: one AWS service, only from the function's own account."""

    service: str
    source_account: str

    @property
    def sid(self) -> str:
        """The trust statement's id, the same in the HCL and the review file."""
        return "AssumeFromLambdaInOwnAccount"

    @property
    def conditions(self) -> tuple[Condition, ...]:
        """The ``aws:SourceAccount`` condition (confused-deputy protection)."""
        return (Condition("StringEquals", "aws:SourceAccount", (self.source_account,)),)

    def to_hcl_block(self) -> dict[str, object]:
        """The ``statement`` block of the trust policy's ``aws_iam_policy_document``."""
        return {
            "sid": self.sid,
            "effect": "Allow",
            "actions": ["sts:AssumeRole"],
            "principals": [{"type": "Service", "identifiers": [self.service]}],
            "condition": [
                {"test": c.test, "variable": c.variable, "values": list(c.values)}
                for c in self.conditions
            ],
        }

    def to_json(self) -> dict[str, object]:
        """The assume-role policy document."""
        return {
            "Version": POLICY_VERSION,
            "Statement": [
                {
                    "Sid": self.sid,
                    "Effect": "Allow",
                    "Principal": {"Service": self.service},
                    "Action": "sts:AssumeRole",
                    "Condition": {c.test: {c.variable: list(c.values)} for c in self.conditions},
                }
            ],
        }
