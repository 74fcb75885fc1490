"""The one typed form of an IAM policy: documents, statements, conditions, principals.

Every part of trellis that reads or writes IAM policies uses these values: the derivation
builds them (and renders them to review JSON with :meth:`PolicyDocument.to_json` and to
``aws_iam_policy_document`` blocks with :meth:`Statement.to_hcl_block`), the IAM lint and
the least-privilege evaluator read generated JSON into them, and the review reads planned
policies into them to compare two versions. Parsing lives in
:mod:`generator.iam.model.parse`; matching in :mod:`generator.iam.model.matching`.

A parsed statement keeps its elements in the order written (findings quote them that
way); :meth:`Statement.canonical` gives the sorted, de-duplicated form that compares
equal for documents that grant the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Literal

POLICY_VERSION = "2012-10-17"
Effect = Literal["Allow", "Deny"]


@dataclass(frozen=True, order=True)
class Condition:
    """One condition: ``test`` is the operator (``StringEquals``), ``variable`` the key.

    ``values`` are strings as IAM compares them (JSON ``true`` is ``"true"``).
    """

    test: str
    variable: str
    values: tuple[str, ...]

    @property
    def name(self) -> str:
        """``<operator> <key>``, e.g. ``StringEquals kms:ViaService``."""
        return f"{self.test} {self.variable}"

    def to_hcl_block(self) -> dict[str, object]:
        """The ``condition`` block of an ``aws_iam_policy_document`` statement."""
        return {"test": self.test, "variable": self.variable, "values": list(self.values)}


@dataclass(frozen=True, order=True)
class Principal:
    """Who a resource or trust policy names: ``kind`` is ``AWS``, ``Service``, ...

    ``Principal: "*"`` is ``Principal("AWS", "*")``, as IAM defines it. An empty ``kind``
    means the kind is not known yet (a planned value the review shows as pending).
    """

    kind: str
    identifier: str

    @property
    def label(self) -> str:
        """``Service:lambda.amazonaws.com``; ``*`` for anyone; the identifier alone when
        the kind is not known."""
        if (self.kind, self.identifier) == ("AWS", "*"):
            return "*"
        return f"{self.kind}:{self.identifier}" if self.kind else self.identifier


@dataclass(frozen=True, order=True, kw_only=True)
class Statement:
    """One statement; ``sid`` is empty when the statement has none.

    Ordering compares ``sid`` first, so statements with distinct ids sort by id.
    """

    sid: str = ""
    effect: Effect = "Allow"
    actions: tuple[str, ...] = ()
    not_actions: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    not_resources: tuple[str, ...] = ()
    principals: tuple[Principal, ...] = ()
    not_principals: tuple[Principal, ...] = ()
    conditions: tuple[Condition, ...] = ()

    @property
    def allows(self) -> bool:
        """Whether this is an Allow statement (the only kind that grants anything)."""
        return self.effect == "Allow"

    def condition_keys(self) -> set[str]:
        """Every condition key used, lower-cased (IAM compares keys case-insensitively)."""
        return {condition.variable.lower() for condition in self.conditions}

    def pairs(self) -> Iterator[tuple[str, str]]:
        """Every (action, resource) the statement names."""
        for action in self.actions:
            for resource in self.resources:
                yield action, resource

    def canonical(self) -> Statement:
        """The same grant with every element sorted and de-duplicated, and no ``sid``."""

        def tidy(values: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(sorted(set(values)))

        return replace(
            self,
            sid="",
            actions=tidy(self.actions),
            not_actions=tidy(self.not_actions),
            resources=tidy(self.resources),
            not_resources=tidy(self.not_resources),
            principals=tuple(sorted(set(self.principals))),
            not_principals=tuple(sorted(set(self.not_principals))),
            conditions=tuple(sorted({replace(c, values=tidy(c.values)) for c in self.conditions})),
        )

    def to_json(self) -> dict[str, object]:
        """The IAM JSON form; single values stay lists so the layout never changes shape.

        ``Action`` and ``Resource`` are always written unless their ``Not`` form is used
        instead; principals and conditions only when present.
        """
        record: dict[str, object] = {}
        if self.sid:
            record["Sid"] = self.sid
        record["Effect"] = self.effect
        for key, principals in (
            ("Principal", self.principals),
            ("NotPrincipal", self.not_principals),
        ):
            if principals:
                block: dict[str, list[str]] = {}
                for principal in principals:
                    block.setdefault(principal.kind, []).append(principal.identifier)
                record[key] = block
        if self.actions or not self.not_actions:
            record["Action"] = list(self.actions)
        if self.not_actions:
            record["NotAction"] = list(self.not_actions)
        if self.resources or not self.not_resources:
            record["Resource"] = list(self.resources)
        if self.not_resources:
            record["NotResource"] = list(self.not_resources)
        if self.conditions:
            conditions: dict[str, dict[str, list[str]]] = {}
            for condition in self.conditions:
                conditions.setdefault(condition.test, {})[condition.variable] = list(
                    condition.values
                )
            record["Condition"] = conditions
        return record

    def to_hcl_block(self) -> dict[str, object]:
        """The arguments of an ``aws_iam_policy_document`` ``statement`` block.

        ``condition`` is a list of ``{"test", "variable", "values"}`` (one nested block
        each); lists keep the statement's order. Only identity-policy statements (actions
        on resources) are rendered this way.
        """
        return {
            "sid": self.sid,
            "effect": self.effect,
            "actions": list(self.actions),
            "resources": list(self.resources),
            "condition": [condition.to_hcl_block() for condition in self.conditions],
        }


@dataclass(frozen=True)
class PolicyDocument:
    """A policy document: its statements in document order."""

    statements: tuple[Statement, ...]
    version: str = POLICY_VERSION

    def to_json(self) -> dict[str, object]:
        """``{"Version": "2012-10-17", "Statement": [...]}``."""
        return {
            "Version": self.version,
            "Statement": [statement.to_json() for statement in self.statements],
        }
