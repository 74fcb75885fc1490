"""Compare two policy documents: what access is added, widened, narrowed or moved.

Only ``Allow`` statements grant access, so they drive the action and resource diff;
``Deny`` statements and the negative forms (``NotAction``, ``NotResource``,
``NotPrincipal``) are reported as notes because their effect depends on everything else
that applies to the principal. A ``None`` document means "does not exist" (a create or a
delete), so every grant of the other side counts as added or removed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from generator.review.model import (
    UNKNOWN,
    ConditionChange,
    PrincipalChange,
    ResourceWidening,
)
from generator.review.policy import Statement, covers


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
    return [s for s in statements if s.effect.lower() == "allow"]


def _covered(value: str, patterns: set[str] | list[str]) -> bool:
    if value == UNKNOWN:
        return False
    if value in patterns:
        return True
    return any(p != UNKNOWN and covers(p, value) for p in patterns)


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
        if pattern != UNKNOWN and covers(pattern, action):
            found |= resources
    return found


def _widenings(before: dict[str, set[str]], after: dict[str, set[str]]) -> list[ResourceWidening]:
    by_resource: dict[str, set[str]] = defaultdict(set)
    replaced: dict[str, set[str]] = defaultdict(set)
    for action, resources in after.items():
        if not _covered(action, set(before)):
            continue  # a new action is reported as added, with all its resources
        earlier = _resources_for(action, before)
        for resource in resources:
            if resource and not _covered(resource, earlier):
                by_resource[resource].add(action)
                replaced[resource] |= {
                    e for e in earlier if e and e != UNKNOWN and covers(resource, e)
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
        if _covered(action, set(before)):
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
                found[principal] |= set(s.actions)
        return found

    old, new = by_principal(before), by_principal(after)
    changes = [PrincipalChange(p, "added", tuple(sorted(new[p]))) for p in new if p not in old]
    changes += [PrincipalChange(p, "removed", tuple(sorted(old[p]))) for p in old if p not in new]
    changes += [
        PrincipalChange(p, "added", tuple(sorted(new[p] - old[p])))
        for p in new
        if p in old and any(not _covered(a, old[p]) for a in new[p])
    ]
    return sorted(changes)


def _condition_changes(before: list[Statement], after: list[Statement]) -> list[ConditionChange]:
    def collect(statements: list[Statement]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for s in statements:
            for name, values in s.conditions:
                found[name] |= set(values)
        return found

    def widened(old_values: set[str], new_values: set[str]) -> bool:
        if not new_values:
            return True
        return all(any(covers(n, o) for n in new_values) for o in old_values)

    old, new = collect(before), collect(after)
    return sorted(
        ConditionChange(
            name,
            tuple(sorted(old.get(name, ()))),
            tuple(sorted(new.get(name, ()))),
            widened=bool(old.get(name)) and widened(old[name], new.get(name, set())),
            narrowed=bool(new.get(name))
            and (not old.get(name) or widened(new[name], old.get(name, set()))),
        )
        for name in set(old) | set(new)
        if old.get(name) != new.get(name)
    )


def _negative_notes(before: tuple[Statement, ...], after: tuple[Statement, ...]) -> list[str]:
    notes = []
    for label, attr in (
        ("NotAction", "not_actions"),
        ("NotResource", "not_resources"),
        ("NotPrincipal", "not_principals"),
    ):
        old = {v for s in _allows(before) for v in getattr(s, attr)}
        new = {v for s in _allows(after) for v in getattr(s, attr)}
        if new - old:
            notes.append(f"Allow with {label} (everything except {', '.join(sorted(new))})")
    old_deny = {a for s in before if s.effect.lower() == "deny" for a in s.actions}
    new_deny = {a for s in after if s.effect.lower() == "deny" for a in s.actions}
    if old_deny - new_deny:
        notes.append(f"Deny removed for {', '.join(sorted(old_deny - new_deny))}")
    if new_deny - old_deny:
        notes.append(f"narrows: Deny added for {', '.join(sorted(new_deny - old_deny))}")
    return notes


def diff_policies(
    before: tuple[Statement, ...] | None, after: tuple[Statement, ...] | None
) -> PolicyDiff:
    """What changes between two documents (``None`` for one that does not exist)."""
    old_statements = before or ()
    new_statements = after or ()
    old_allow, new_allow = _allows(old_statements), _allows(new_statements)
    old, new = _grants(old_allow), _grants(new_allow)
    diff = PolicyDiff()
    diff.actions_added = sorted(a for a in new if not _covered(a, set(old)))
    diff.actions_removed = sorted(a for a in old if not _covered(a, set(new)))
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
