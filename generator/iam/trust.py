"""A Lambda execution role's trust policy, in the HCL and JSON forms trellis writes.

The JSON keeps the single-valued ``Principal`` and ``Action`` that IAM shows for a trust
policy (not one-element lists), so the review file reads like the console's; its
condition is a :class:`~generator.iam.model.Condition` of the one policy model.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.iam.model import POLICY_VERSION, Condition


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
            "condition": [condition.to_hcl_block() for condition in self.conditions],
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
