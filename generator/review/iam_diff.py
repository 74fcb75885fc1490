"""Compare two policy documents: what access is added, widened, narrowed or moved.

Statements are the one policy model's (:mod:`generator.iam.model`), and grants compare
with its matchers: actions in any case, resources segment by segment as IAM compares ARNs.
Only ``Allow`` statements grant access, so they drive the action and resource diff;
``Deny`` statements and the negative forms (``NotAction``, ``NotResource``,
``NotPrincipal``) are reported as notes because their effect depends on everything else
that applies to the principal. A ``None`` document means "does not exist" (a create or a
delete), so every grant of the other side counts as added or removed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from generator.iam.model import Statement, action_matches, arn_matches
from generator.review.model import (
    UNKNOWN,
    ConditionChange,
    PrincipalChange,
    ResourceWidening,
)


@dataclass
class PolicyDiff:
    """The facts an :class:`~generator.review.model.IamChange` is built from."""

    actions_added: list[str] = field(default_factory=list)
    actions_removed: list[str] = field(default_factory=list)
    resources_widened: list[ResourceWidening] = field(default_factory=list)
    resources_removed: list[str] = field(default_factory=list)
    principals: list[PrincipalChange] = field(default_factory=list)
    conditions: list[ConditionChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _allows(statements: tuple[Statement, ...]) -> list[Statement]:
    return [s for s in statements if s.allows]


def _action_covered(action: str, patterns: set[str]) -> bool:
    """Whether one of the action ``patterns`` grants ``action`` (never an unknown one)."""
    if action == UNKNOWN:
        return False
    return action in patterns or any(p != UNKNOWN and action_matches(p, action) for p in patterns)


def _resource_covered(resource: str, patterns: set[str]) -> bool:
    """Whether one of the resource ``patterns`` names every ARN ``resource`` names."""
    if resource == UNKNOWN:
        return False
    return resource in patterns or any(p != UNKNOWN and arn_matches(p, resource) for p in patterns)


def _grants(statements: list[Statement]) -> dict[str, set[str]]:
    """Each allowed action (as written) → every resource pattern it is allowed on."""
    grants: dict[str, set[str]] = defaultdict(set)
    for statement in statements:
        resources = set(statement.resources) or {""}
        for action in statement.actions:
            grants[action] |= resources
    return grants


def _resources_for(action: str, grants: dict[str, set[str]]) -> set[str]:
    found: set[str] = set()
    for pattern, resources in grants.items():
        if pattern != UNKNOWN and action_matches(pattern, action):
            found |= resources
    return found


def _widenings(before: dict[str, set[str]], after: dict[str, set[str]]) -> list[ResourceWidening]:
    by_resource: dict[str, set[str]] = defaultdict(set)
    replaced: dict[str, set[str]] = defaultdict(set)
    for action, resources in after.items():
        if not _action_covered(action, set(before)):
            continue  # a new action is reported as added, with all its resources
        earlier = _resources_for(action, before)
        for resource in resources:
            if resource and not _resource_covered(resource, earlier):
                by_resource[resource].add(action)
                replaced[resource] |= {
                    e for e in earlier if e and e != UNKNOWN and arn_matches(resource, e)
                }
    result = []
    for resource, actions in by_resource.items():
        if resource == UNKNOWN:
            kind = "unknown"
        elif "*" in resource or "?" in resource:
            kind = "wildcard"
        else:
            kind = "new"
        result.append(
            ResourceWidening(
                resource, kind, tuple(sorted(actions)), tuple(sorted(replaced[resource]))
            )
        )
    return sorted(result)


def _new_action_widenings(
    before: dict[str, set[str]], after: dict[str, set[str]]
) -> list[ResourceWidening]:
    by_resource: dict[str, set[str]] = defaultdict(set)
    for action, resources in after.items():
        if _action_covered(action, set(before)):
            continue
        for resource in resources:
            if resource:
                by_resource[resource].add(action)
    result = []
    for resource, actions in by_resource.items():
        kind = (
            "unknown"
            if resource == UNKNOWN
            else ("wildcard" if "*" in resource or "?" in resource else "new")
        )
        result.append(ResourceWidening(resource, kind, tuple(sorted(actions))))
    return sorted(result)


def _merge(widenings: list[ResourceWidening]) -> list[ResourceWidening]:
    """One entry per resource pattern, whether its actions are new or not."""
    merged: dict[str, ResourceWidening] = {}
    for w in widenings:
        if w.resource in merged:
            m = merged[w.resource]
            w = ResourceWidening(
                w.resource,
                w.kind,
                tuple(sorted({*m.actions, *w.actions})),
                tuple(sorted({*m.replaces, *w.replaces})),
            )
        merged[w.resource] = w
    return sorted(merged.values())


def _principal_changes(before: list[Statement], after: list[Statement]) -> list[PrincipalChange]:
    def by_principal(statements: list[Statement]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for s in statements:
            for principal in s.principals:
                found[principal.label] |= set(s.actions)
        return found

    old, new = by_principal(before), by_principal(after)
    changes = [PrincipalChange(p, "added", tuple(sorted(new[p]))) for p in new if p not in old]
    changes += [PrincipalChange(p, "removed", tuple(sorted(old[p]))) for p in old if p not in new]
    changes += [
        PrincipalChange(p, "added", tuple(sorted(new[p] - old[p])))
        for p in new
        if p in old and any(not _action_covered(a, old[p]) for a in new[p])
    ]
    return sorted(changes)


_OPERATOR_FAMILY = {
    "stringequals": "equals",
    "arnequals": "equals",
    "stringequalsignorecase": "equals",
    "stringlike": "like",
    "arnlike": "like",
}
_KEY_ALIASES = {"aws:sourceowner": "aws:sourceaccount"}
"""Condition keys AWS documents as the same thing (``aws:SourceOwner`` is the older name)."""


def _condition_name(name: str) -> str:
    """``ArnEquals aws:SourceArn`` and ``StringEquals aws:sourcearn`` compare as one."""
    operator, _, key = name.partition(" ")
    prefix = ""
    for qualifier in ("ForAllValues:", "ForAnyValue:"):
        if operator.startswith(qualifier):
            prefix, operator = qualifier, operator[len(qualifier) :]
    if_exists = operator.endswith("IfExists")
    base = operator.removesuffix("IfExists").lower()
    family = _OPERATOR_FAMILY.get(base, base)
    key = _KEY_ALIASES.get(key.lower(), key.lower())
    return f"{prefix}{family}{'IfExists' if if_exists else ''} {key}"


def _scope(value: str) -> tuple[str, ...] | None:
    """An ARN's kind and scope (partition, service, region, account, resource type)."""
    parts = value.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn" or "*" in value or "?" in value:
        return None
    resource = parts[5]
    kind = resource.split("/", 1)[0] if "/" in resource else resource.split(":", 1)[0]
    if "/" not in resource and ":" not in resource:
        kind = ""  # a bare name (SNS topic, S3 bucket): the service says what it is
    return (parts[1], parts[2], parts[3], parts[4], kind)


def _swapped(old_values: set[str], new_values: set[str]) -> bool:
    """True when every new value replaces an old one of the same kind and scope.

    An SNS topic ARN swapped for another topic of the same account and Region, or a
    bucket ARN for another bucket, lets in as many sources as before, of the same kind;
    an account id swapped for another account, or any new wildcard, does not qualify.
    """
    if not new_values or len(new_values) > len(old_values):
        return False
    old_scopes = {_scope(v) for v in old_values}
    return all(_scope(n) is not None and _scope(n) in old_scopes for n in new_values)


def _condition_changes(before: list[Statement], after: list[Statement]) -> list[ConditionChange]:
    def collect(statements: list[Statement]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        found: dict[str, set[str]] = defaultdict(set)
        names: dict[str, set[str]] = defaultdict(set)
        for s in statements:
            for condition in s.conditions:
                found[_condition_name(condition.name)] |= set(condition.values)
                names[_condition_name(condition.name)].add(condition.name)
        return found, names

    def covered_by(old_values: set[str], new_values: set[str]) -> bool:
        return all(any(arn_matches(n, o) for n in new_values) for o in old_values)

    (old, old_names), (new, new_names) = collect(before), collect(after)
    changes = []
    for key in sorted(set(old) | set(new)):
        old_values, new_values = old.get(key, set()), new.get(key, set())
        if old_values == new_values:
            continue
        label = " / ".join(sorted(old_names.get(key, set()) | new_names.get(key, set())))
        pending = UNKNOWN in new_values
        widened = (
            not pending
            and bool(old_values)
            and (not new_values or covered_by(old_values, new_values))
        )
        narrowed = bool(new_values) and (not old_values or covered_by(new_values, old_values))
        changes.append(
            ConditionChange(
                label,
                tuple(sorted(old_values)),
                tuple(sorted(new_values)),
                widened=widened,
                narrowed=narrowed and not widened,
                swapped=not widened and not narrowed and _swapped(old_values, new_values),
                pending=pending and not narrowed,
            )
        )
    return sorted(changes)


def _negative(statement: Statement, element: str) -> tuple[str, ...]:
    """The values of a statement's ``NotAction``, ``NotResource`` or ``NotPrincipal``."""
    if element == "NotAction":
        return statement.not_actions
    if element == "NotResource":
        return statement.not_resources
    return tuple(p.label for p in statement.not_principals)


def _negative_notes(before: tuple[Statement, ...], after: tuple[Statement, ...]) -> list[str]:
    notes = []
    for label in ("NotAction", "NotResource", "NotPrincipal"):
        old = {v for s in _allows(before) for v in _negative(s, label)}
        new = {v for s in _allows(after) for v in _negative(s, label)}
        if new - old:
            notes.append(f"Allow with {label} (everything except {', '.join(sorted(new))})")
    old_deny = {a for s in before if not s.allows for a in s.actions}
    new_deny = {a for s in after if not s.allows for a in s.actions}
    if old_deny - new_deny:
        notes.append(f"Deny removed for {', '.join(sorted(old_deny - new_deny))}")
    if new_deny - old_deny:
        notes.append(f"narrows: Deny added for {', '.join(sorted(new_deny - old_deny))}")
    return notes


def swap_own_resources(diff: PolicyDiff) -> PolicyDiff:
    """In a resource policy, a resource ARN swapped for one of the same kind and scope.

    A queue's, bucket's or key's own policy names that resource; when the resource is
    replaced under a new name (a queue switched to FIFO), the policy's ``Resource`` moves
    with it. Such a widening is marked ``swapped``: it lets nobody new in.
    """
    removed = {_scope(r) for r in diff.resources_removed} - {None}
    diff.resources_widened = [
        replace(w, kind="swapped") if w.kind == "new" and _scope(w.resource) in removed else w
        for w in diff.resources_widened
    ]
    return diff


def diff_policies(
    before: tuple[Statement, ...] | None, after: tuple[Statement, ...] | None
) -> PolicyDiff:
    """What changes between two documents (``None`` for one that does not exist).

    A document that no longer exists grants nothing: every grant it had is removed and
    nothing about it widens (its conditions and Deny statements go with its grants).
    """
    old_statements = before or ()
    new_statements = after or ()
    if after is None and before:
        return PolicyDiff(
            actions_removed=sorted({a for s in _allows(old_statements) for a in s.actions}),
            resources_removed=sorted(
                {r for s in _allows(old_statements) for r in s.resources if r != UNKNOWN}
            ),
            principals=sorted(
                {
                    PrincipalChange(p.label, "removed", tuple(sorted(s.actions)))
                    for s in _allows(old_statements)
                    for p in s.principals
                }
            ),
            notes=["narrows: the document is deleted, and every grant in it"],
        )
    old_allow, new_allow = _allows(old_statements), _allows(new_statements)
    old, new = _grants(old_allow), _grants(new_allow)
    diff = PolicyDiff()
    diff.actions_added = sorted(a for a in new if not _action_covered(a, set(old)))
    diff.actions_removed = sorted(a for a in old if not _action_covered(a, set(new)))
    diff.resources_widened = _merge(_widenings(old, new) + _new_action_widenings(old, new))
    all_new = {r for rs in new.values() for r in rs}
    diff.resources_removed = sorted(
        r for rs in old.values() for r in rs if r and r != UNKNOWN and r not in all_new
    )
    diff.resources_removed = sorted(set(diff.resources_removed))
    diff.principals = _principal_changes(old_allow, new_allow)
    diff.conditions = _condition_changes(old_allow, new_allow)
    diff.notes = _negative_notes(old_statements, new_statements)
    return diff
