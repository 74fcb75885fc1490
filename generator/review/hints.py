"""What a reviewer should be told that is neither blocking nor an access change.

- **Likely missing ``moved`` blocks**: a delete and a create of the same type whose
  addresses differ only in the module path or in the resource name (a module renamed, a
  resource renamed) is usually a move that Terraform was not told about; the hint carries
  the ``moved`` block that turns the pair into a no-op.
- **Protections on what is destroyed**: ``force_destroy``/``force_delete`` (the bucket or
  repository goes with everything in it), deletion protection that will make the apply
  fail, a database destroyed without a final snapshot, a resource whose block was removed
  (its ``lifecycle { prevent_destroy }`` went with it: the plan JSON never shows
  ``prevent_destroy``, so the review says when it cannot have protected anything), and the
  window in which a deleted KMS key can still be recovered.

Pairing for ``moved`` is conservative: a delete pairs with a create of the same type only
when exactly the module path or exactly the name (instance keys aside) differ, and when
several creates qualify the one with the most equal configured values wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.review.holdings import holding_of
from generator.review.model import Action, Hint

_FORCE = ("force_destroy", "force_delete")
_PROTECTION = (
    "deletion_protection",
    "deletion_protection_enabled",
    "enable_deletion_protection",
    "disable_api_termination",
    "enable_termination_protection",
)
_GONE = frozenset({"delete_because_no_resource_config", "delete_because_no_module"})


def split_resource_address(address: str) -> tuple[str, str, str, str]:
    """``module.a.aws_x.y["k"]`` → (``module.a``, ``aws_x``, ``y``, ``["k"]``)."""
    body, key = address, ""
    if body.endswith("]"):
        depth = 0
        for index in range(len(body) - 1, -1, -1):
            char = body[index]
            if char == "]":
                depth += 1
            elif char == "[":
                depth -= 1
                if depth == 0:
                    body, key = body[:index], body[index:]
                    break
    parts = body.rsplit(".", 2)
    if len(parts) == 3:
        return parts[0], parts[1], parts[2], key
    return "", parts[0], parts[-1], key


@dataclass
class _Side:
    """A deleted or created instance; ``values`` fingerprints its scalar attributes."""

    address: str
    type: str
    values: frozenset[int] = frozenset()


def _fingerprint(values: dict[str, Any]) -> frozenset[int]:
    """Hashes of the (name, value) pairs of scalar attributes: small, enough to compare."""
    return frozenset(
        hash((k, v)) for k, v in values.items() if isinstance(v, str | int | float | bool)
    )


def _similarity(before: frozenset[int], after: frozenset[int]) -> int:
    return len(before & after)


def _moved_block(old: str, new: str) -> str:
    return f"moved {{\n  from = {old}\n  to   = {new}\n}}"


class HintCollector:
    """Collects one plan's hints; call :meth:`add` per change, then :meth:`finish`."""

    def __init__(self, stack: str) -> None:
        self.stack = stack
        self.found: list[Hint] = []
        self.deleted: list[_Side] = []
        self.created: list[_Side] = []

    def _hint(self, address: str, rule: str, message: str, suggestion: str = "") -> None:
        self.found.append(Hint(self.stack, address, rule, message, suggestion))

    def add(self, rc: dict[str, Any], action: Action, address: str) -> None:
        """Look at one resource change (managed resources only)."""
        if rc.get("mode", "managed") != "managed" or rc.get("deposed"):
            return
        change = rc.get("change") or {}
        raw_before, raw_after = change.get("before"), change.get("after")
        before: dict[str, Any] = raw_before if isinstance(raw_before, dict) else {}
        after: dict[str, Any] = raw_after if isinstance(raw_after, dict) else {}
        kind = str(rc.get("type"))
        if action is Action.DELETE:
            self.deleted.append(_Side(address, kind, _fingerprint(before)))
        elif action is Action.CREATE:
            self.created.append(_Side(address, kind, _fingerprint(after)))
        if action in (Action.DELETE, Action.REPLACE):
            self._protections(rc, action, address, kind, before)

    def _protections(
        self, rc: dict[str, Any], action: Action, address: str, kind: str, before: dict[str, Any]
    ) -> None:
        verb = "deleted" if action is Action.DELETE else "replaced"
        for name in _FORCE:
            if before.get(name) is True:
                self._hint(
                    address,
                    "force-destroy",
                    f"`{name} = true` on a resource being {verb}: it goes with everything "
                    "in it, without the error that would otherwise stop a non-empty delete",
                )
        for name in _PROTECTION:
            if before.get(name) in (True, "ACTIVE"):
                self._hint(
                    address,
                    "deletion-protection",
                    f"`{name}` is on for a resource being {verb}: the apply will fail "
                    "unless a separate change turns it off first (which is the decision "
                    "to review)",
                )
        if before.get("skip_final_snapshot") is True:
            self._hint(
                address,
                "final-snapshot",
                f"`skip_final_snapshot = true`: the database is {verb} without a final snapshot",
            )
        if action is Action.DELETE and rc.get("action_reason") in _GONE:
            holding = holding_of(kind)
            if holding.precious:
                self._hint(
                    address,
                    "prevent-destroy",
                    "its block is gone from the configuration, so a `lifecycle { "
                    "prevent_destroy = true }` it had went with it: nothing in Terraform "
                    "stops this delete",
                )
        if kind in ("aws_kms_key", "aws_kms_external_key", "aws_kms_replica_key") and (
            action is Action.DELETE
        ):
            window = before.get("deletion_window_in_days") or 30
            self._hint(
                address,
                "kms-deletion-window",
                f"the key is scheduled for deletion after {window} days "
                "(`deletion_window_in_days`); until then `aws kms cancel-key-deletion` "
                "recovers it",
            )

    def _pair(self) -> None:
        used: set[str] = set()
        modules: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for old in sorted(self.deleted, key=lambda s: s.address):
            o_module, o_type, o_name, o_key = split_resource_address(old.address)
            candidates = []
            for new in self.created:
                if new.type != old.type or new.address in used:
                    continue
                n_module, _, n_name, n_key = split_resource_address(new.address)
                if n_key != o_key:
                    continue
                if (n_module == o_module) != (n_name == o_name):
                    candidates.append(new)
            if not candidates:
                continue
            best = max(candidates, key=lambda n: (_similarity(old.values, n.values), n.address))
            used.add(best.address)
            n_module = split_resource_address(best.address)[0]
            if n_module != o_module:
                modules.setdefault((o_module, n_module), []).append((old.address, best.address))
                continue
            self._hint(
                old.address,
                "missing-moved",
                f"deleted while {best.address} of the same type is created: only the name "
                "differs, which is usually a rename Terraform was not told about. If it is "
                f"the same {o_type}, add this to the module that declares it and plan again:",
                _moved_block(old.address, best.address),
            )
        for (o_module, n_module), pairs in sorted(modules.items()):
            moved = ", ".join(f"{old} → {new}" for old, new in pairs)
            whole = o_module and n_module
            self._hint(
                pairs[0][0],
                "missing-moved",
                f"deleted and created again under another module path ({moved}): usually "
                "a module call renamed without telling Terraform. If they are the same "
                "objects, add this to the root module and plan again:",
                _moved_block(o_module, n_module)
                if whole
                else "\n\n".join(_moved_block(old, new) for old, new in pairs),
            )

    def finish(self) -> list[Hint]:
        """Every hint of the plan, sorted."""
        self._pair()
        return sorted(self.found)


__all__ = ["HintCollector", "split_resource_address"]
