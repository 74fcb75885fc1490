"""Find the policy documents in resource changes and say how each changes access.

Which attributes hold policies is data (:mod:`generator.review.iam_policy_attributes`);
adding a type is adding a line there. Bucket ACL grants come from
:mod:`generator.review.iam_bucket_acl`, policy diffs from
:mod:`generator.review.iam_diff`.

A document only known after apply is matched, through the ``configuration`` references,
to the ``aws_iam_policy_document`` data source it comes from; when Terraform plans to
read that data source during apply, its planned ``statement`` blocks still tell which
actions change, and the review says the rest is pending.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.iam.model import PolicyError, Statement
from generator.review.iam_bucket_acl import ACL_TYPES, acl_grants
from generator.review.iam_diff import PolicyDiff, diff_policies, swap_own_resources
from generator.review.iam_policy_attributes import (
    ATTACHMENTS,
    BOUNDARY_TYPES,
    IDENTITY,
    POLICY_DOCUMENT,
    RESOURCE,
    TRUST,
)
from generator.review.model import Action, IamChange, PrincipalChange
from generator.review.planfile import module_path
from generator.review.policy import parse_policy, statements_from_blocks
from generator.review.values import child_mask, has_true, mask_at, show


@dataclass(frozen=True)
class _Side:
    """One side of a document: ``state`` is absent, known, unknown, sensitive or invalid."""

    state: str
    statements: tuple[Statement, ...] | None = None
    problem: str = ""


def _side(
    root: Any, exists: bool, path: tuple[str | int, ...], sensitive: Any, unknown: Any
) -> _Side:
    if not exists:
        return _Side("absent")
    value = root
    for key in path:
        sensitive, unknown = child_mask(sensitive, key), child_mask(unknown, key)
        value = (
            value.get(key)
            if isinstance(value, dict)
            else (
                value[key]
                if isinstance(value, list) and isinstance(key, int) and key < len(value)
                else None
            )
        )
    if has_true(sensitive):
        return _Side("sensitive")
    if has_true(unknown):
        return _Side("unknown")
    if value in (None, ""):
        return _Side("known", ())
    try:
        return _Side("known", parse_policy(str(value)))
    except PolicyError as err:
        return _Side("invalid", problem=str(err))


@dataclass
class _Pending:
    """A document known only after apply, waiting for the data sources of its plan."""

    change: IamChange
    before: tuple[Statement, ...] | None
    module_address: str
    resource: str
    attribute: str
    top_level: bool


class IamCollector:
    """Collects the IAM changes of one plan; call :meth:`add` per change, then :meth:`finish`."""

    def __init__(self, stack: str) -> None:
        self.stack = stack
        self.found: list[IamChange] = []
        self.pending: list[_Pending] = []
        self.documents: dict[str, tuple[Statement, ...]] = {}

    def add(self, rc: dict[str, Any], action: Action) -> None:
        """Look at one resource change (any type; most are ignored at once)."""
        kind = rc.get("type")
        if rc.get("mode") == "data":
            if kind == POLICY_DOCUMENT and action is Action.READ:
                change = rc.get("change") or {}
                after = change.get("after")
                if isinstance(after, dict):
                    self.documents[str(rc.get("address"))] = statements_from_blocks(
                        after, change.get("after_unknown")
                    )
            return
        if kind in IDENTITY:
            self._document(rc, action, IDENTITY[kind], "identity")
        elif kind in RESOURCE:
            self._document(rc, action, RESOURCE[kind], "resource")
        if kind in TRUST:
            self._document(rc, action, TRUST[kind], "trust")
            self._inline_policies(rc, action)
        if kind in BOUNDARY_TYPES:
            self._boundary(rc, action)
        if kind in ATTACHMENTS:
            self._attachment(rc, action, ATTACHMENTS[kind])
        if kind in ACL_TYPES:
            self._acl(rc, action)

    def _acl(self, rc: dict[str, Any], action: Action) -> None:
        """Grants of a bucket ACL to anyone but the owner: other accounts, groups, e-mails."""
        change = rc.get("change") or {}
        before, after = acl_grants(change.get("before")), acl_grants(change.get("after"))
        if before == after:
            return
        added = sorted(after - before) if action is not Action.DELETE else []
        removed = sorted(before - after)
        principals = [PrincipalChange(g, "added", ()) for g in added]
        principals += [PrincipalChange(g, "removed", ()) for g in removed]
        notes: tuple[str, ...] = ()
        if has_true(child_mask(change.get("after_unknown"), "access_control_policy")):
            notes = ("pending: some grants are known only after apply",)
        self.found.append(
            IamChange(
                stack=self.stack,
                address=str(rc.get("address")),
                type=str(rc.get("type")),
                document="acl",
                kind="acl",
                action=action,
                principals=tuple(sorted(principals)),
                notes=notes,
            )
        )

    def _base(
        self,
        rc: dict[str, Any],
        action: Action,
        document: str,
        kind: str,
        diff: PolicyDiff | None = None,
        **extra: Any,
    ) -> IamChange:
        diff = diff or PolicyDiff()
        return IamChange(
            stack=self.stack,
            address=str(rc.get("address")),
            type=str(rc.get("type")),
            document=document,
            kind=kind,
            action=action,
            actions_added=tuple(diff.actions_added),
            actions_removed=tuple(diff.actions_removed),
            resources_widened=tuple(diff.resources_widened),
            resources_removed=tuple(diff.resources_removed),
            principals=tuple(diff.principals),
            conditions=tuple(diff.conditions),
            notes=tuple(diff.notes) + tuple(extra.pop("notes", ())),
            **extra,
        )

    def _document(
        self,
        rc: dict[str, Any],
        action: Action,
        attribute: str,
        kind: str,
        label: str | None = None,
    ) -> None:
        change = rc.get("change") or {}
        path = (attribute,)
        label = label or attribute
        before = _side(
            change.get("before"),
            change.get("before") is not None,
            path,
            change.get("before_sensitive"),
            None,
        )
        after = _side(
            change.get("after"),
            change.get("after") is not None,
            path,
            change.get("after_sensitive"),
            change.get("after_unknown"),
        )
        if before.state == after.state == "known" and before.statements == after.statements:
            return
        if before.state == after.state == "absent":
            return
        if "sensitive" in (before.state, after.state):
            self.found.append(
                self._base(
                    rc,
                    action,
                    label,
                    kind,
                    notes=(
                        "pending: the document is marked sensitive, so the review does not "
                        "show it; review it in the configuration",
                    ),
                )
            )
            return
        for side in (before, after):
            if side.state == "invalid":
                self.found.append(
                    self._base(
                        rc,
                        action,
                        label,
                        kind,
                        notes=(f"the document is not a valid policy: {side.problem}",),
                    )
                )
                return
        if after.state == "unknown":
            self.pending.append(
                _Pending(
                    self._base(rc, action, label, kind, unknown=True),
                    before.statements,
                    str(rc.get("module_address") or ""),
                    f"{rc.get('type')}.{rc.get('name')}",
                    attribute,
                    top_level=label == attribute,
                )
            )
            return
        diff = diff_policies(before.statements, after.statements)
        if kind == "resource":
            diff = swap_own_resources(diff)
        self.found.append(self._base(rc, action, label, kind, diff))

    def _inline_policies(self, rc: dict[str, Any], action: Action) -> None:
        change = rc.get("change") or {}
        sides = (("before", "before_sensitive", ""), ("after", "after_sensitive", "after_unknown"))
        found: dict[str, dict[str, tuple[Any, Any, Any]]] = {}
        for side, sensitive, unknown in sides:
            for index, block in enumerate((change.get(side) or {}).get("inline_policy") or ()):
                if isinstance(block, dict) and block.get("name"):
                    path = ("inline_policy", index, "policy")
                    found.setdefault(str(block["name"]), {})[side] = (
                        block.get("policy"),
                        mask_at(change.get(sensitive), path),
                        mask_at(change.get(unknown), path) if unknown else None,
                    )
        for name, where in sorted(found.items()):
            sub: dict[str, Any] = {}
            for side, sensitive, unknown in sides:
                if side in where:
                    value, s_mask, u_mask = where[side]
                    sub[side] = {"policy": value}
                    sub[sensitive] = {"policy": s_mask}
                    if unknown:
                        sub[unknown] = {"policy": u_mask}
                else:
                    sub[side] = None
            self._document(
                dict(rc, change=sub), action, "policy", "identity", label=f"inline_policy[{name}]"
            )

    def _boundary(self, rc: dict[str, Any], action: Action) -> None:
        change = rc.get("change") or {}
        before = (change.get("before") or {}).get("permissions_boundary")
        after_root = change.get("after")
        if not before or after_root is None:
            return
        if has_true(child_mask(change.get("after_unknown"), "permissions_boundary")):
            note = f"pending: permissions boundary {before} replaced by one known after apply"
        else:
            after = after_root.get("permissions_boundary")
            if after == before:
                return
            note = (
                f"permissions boundary removed (was {before})"
                if not after
                else f"permissions boundary changed from {before} to {after}"
            )
        self.found.append(self._base(rc, action, "permissions_boundary", "boundary", notes=(note,)))

    def _attachment(self, rc: dict[str, Any], action: Action, principal: str) -> None:
        change = rc.get("change") or {}
        if action in (Action.CREATE, Action.REPLACE):
            after = change.get("after") or {}
            unknown = change.get("after_unknown")
            arn = show(
                after.get("policy_arn"),
                unknown=child_mask(unknown, "policy_arn"),
                sensitive=child_mask(change.get("after_sensitive"), "policy_arn"),
            )
            who = show(after.get(principal), unknown=child_mask(unknown, principal))
            note = f"attaches {arn.strip(chr(34))} to {principal} {who.strip(chr(34))}"
        elif action is Action.DELETE:
            before = change.get("before") or {}
            note = (
                f"narrows: detaches {before.get('policy_arn')} from {principal} "
                f"{before.get(principal)}"
            )
        else:
            return
        self.found.append(self._base(rc, action, "policy_arn", "attachment", notes=(note,)))

    def finish(
        self, references: dict[tuple[str, str], dict[str, tuple[str, ...]]]
    ) -> list[IamChange]:
        """Resolve documents known after apply against the plan's data sources."""
        for pending in self.pending:
            key = (module_path(pending.module_address), pending.resource)
            refs = references.get(key, {})
            if key in references and pending.top_level and pending.attribute not in refs:
                continue  # not configured: the provider computes it (an SQS queue's policy)
            sources = [
                r
                for r in refs.get(pending.attribute, ())
                if r.startswith(f"data.{POLICY_DOCUMENT}.") and r.count(".") == 2
            ]
            prefix = f"{pending.module_address}." if pending.module_address else ""
            base = pending.change
            statements = None
            source = None
            if sources:
                source = prefix + sources[0]
                statements = self.documents.get(source)
            elif refs.get(pending.attribute):
                source = ", ".join(r for r in refs[pending.attribute] if r.count(".") >= 2) or None
            note = "pending: the document is known only after apply" + (
                f"; it comes from {source}" if source else ""
            )
            if statements is not None:
                diff = diff_policies(pending.before, statements)
                note += ", whose planned statements are compared here"
                changed = self._base(
                    {"address": base.address, "type": base.type},
                    base.action,
                    base.document,
                    base.kind,
                    diff,
                    unknown=True,
                    source=source,
                    notes=(note,),
                )
            else:
                changed = self._base(
                    {"address": base.address, "type": base.type},
                    base.action,
                    base.document,
                    base.kind,
                    unknown=True,
                    source=source,
                    notes=(note,),
                )
            self.found.append(changed)
        self.pending.clear()
        return sorted(self.found)


__all__ = ["IamCollector"]
