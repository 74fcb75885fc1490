"""Planned IAM policy documents read into the one policy model, as the review compares them.

Two sources produce the same :class:`~generator.iam.model.Statement` values: the JSON of a
policy attribute (``jsonencode`` output or a rendered ``aws_iam_policy_document``), read
by :func:`parse_policy`, and the ``statement`` blocks of an ``aws_iam_policy_document``
data source that Terraform can only read during apply, read by
:func:`statements_from_blocks`. In the second case some parts may be unknown; they appear
as :data:`~generator.review.model.UNKNOWN` entries (a principal whose type is unknown has
the kind ``UNKNOWN``; a wholly unknown principal list is one principal with an empty kind)
so a diff can still say which actions change while the resources are pending.

Statements are in canonical form (elements sorted and de-duplicated, no ``Sid``), so two
documents that grant the same compare equal. Matching is the model's
(:mod:`generator.iam.model.matching`).

What can go wrong: :func:`parse_policy` raises :class:`~generator.iam.model.PolicyError`
for text that is not a policy document; planned blocks are read as far as they are known.
"""

from __future__ import annotations

from typing import Any

from generator.iam.model import Condition, Principal, Statement, parse_policy_json
from generator.review.model import UNKNOWN
from generator.review.values import child_mask, has_true


def parse_policy(text: str) -> tuple[Statement, ...]:
    """The canonical statements of a JSON policy document."""
    return tuple(statement.canonical() for statement in parse_policy_json(text).statements)


def _block_strings(value: Any, unknown: Any) -> tuple[str, ...]:
    if unknown is True:
        return (UNKNOWN,)
    found = {str(v) for v in value or () if v is not None}
    if has_true(unknown):
        found.add(UNKNOWN)
    return tuple(sorted(found))


def _block_principals(blocks: Any, unknown: Any) -> tuple[Principal, ...]:
    if unknown is True:
        return (Principal("", UNKNOWN),)
    found: set[Principal] = set()
    for index, block in enumerate(blocks or ()):
        u = child_mask(unknown, index)
        kind = block.get("type") or UNKNOWN
        for identifier in _block_strings(block.get("identifiers"), child_mask(u, "identifiers")):
            found.add(Principal(kind, identifier))
    return tuple(sorted(found))


def _block_conditions(block: dict[str, Any], unknown: Any) -> tuple[Condition, ...]:
    conditions = []
    for index, condition in enumerate(block.get("condition") or ()):
        mask = child_mask(child_mask(unknown, "condition"), index)
        conditions.append(
            Condition(
                condition.get("test") or UNKNOWN,
                condition.get("variable") or UNKNOWN,
                _block_strings(condition.get("values"), child_mask(mask, "values")),
            )
        )
    return tuple(sorted(conditions))


def _block_statement(block: dict[str, Any], unknown: Any) -> Statement:
    def strings(name: str) -> tuple[str, ...]:
        return _block_strings(block.get(name), child_mask(unknown, name))

    def principals(name: str) -> tuple[Principal, ...]:
        return _block_principals(block.get(name), child_mask(unknown, name))

    return Statement(
        effect="Deny" if block.get("effect") == "Deny" else "Allow",
        actions=strings("actions"),
        not_actions=strings("not_actions"),
        resources=strings("resources"),
        not_resources=strings("not_resources"),
        principals=principals("principals"),
        not_principals=principals("not_principals"),
        conditions=_block_conditions(block, unknown),
    )


def statements_from_blocks(after: dict[str, Any], unknown: Any) -> tuple[Statement, ...]:
    """Statements of an ``aws_iam_policy_document`` from its planned ``statement`` blocks.

    An effect not yet known counts as ``Allow`` (the provider's default).
    """
    masks = child_mask(unknown, "statement")
    return tuple(
        _block_statement(block, child_mask(masks, index))
        for index, block in enumerate(after.get("statement") or [])
    )
