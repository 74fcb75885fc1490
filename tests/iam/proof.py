"""The proof that a derived policy is exactly what the function needs.

Inputs: the derived role (its grants say which are platform grants, and why), the policy
document under test (normally the role's own; the mutation check passes altered copies),
and the AWS calls recorded while the function's real code ran against the local endpoint.

Two directions:

- recorded ⊆ granted: every recorded (action, ARN) is allowed by the policy, evaluated by
  :mod:`tests.iam.evaluate` with the real ARN;
- granted ⊆ recorded + declared platform: every (action, resource) the policy grants is
  matched by a recorded call of that function, or is a platform grant (a call AWS makes
  on the function's behalf, declared with its reason in :mod:`generator.iam.platform`).
  Platform grants must also be allowed by the policy for a request shaped like the one
  AWS makes (a log stream in the function's group, a KMS call through the service).

Removing any one action from the policy breaks one of the two directions; the tests
check that for every action (the mutation check).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from generator.iam.derive import DerivedRole, Grant
from tests.iam.evaluate import Request, is_allowed


class CallLike(Protocol):
    """A recorded call (``tests.plugins.aws_calls.RecordedCall`` fits)."""

    @property
    def function(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def resource(self) -> str: ...
    @property
    def test(self) -> str: ...


@dataclass(frozen=True, order=True)
class ProofRow:
    """One line of the proof table."""

    kind: str
    action: str
    resource: str
    exercised_by: str
    ok: bool


@dataclass(frozen=True)
class ProofResult:
    """What the proof found: denied calls, unexercised grants, and the table."""

    denied: tuple[str, ...] = ()
    unexercised: tuple[str, ...] = ()
    rows: tuple[ProofRow, ...] = field(default=())
    granted: frozenset[tuple[str, str]] = frozenset()
    idle: frozenset[tuple[str, str]] = frozenset()
    """``granted``: every (Sid, action) of the policy that no platform capability declares;
    ``idle``: those of them no recorded call exercised. Proofs over several wirings of one
    function kind (one per test) compare the unions of these."""

    @property
    def ok(self) -> bool:
        """Both directions hold."""
        return not self.denied and not self.unexercised

    def table(self) -> str:
        """The rows as a fixed-width text table."""
        headers = ("function kind", "action", "resource", "exercised by", "")
        lines = [
            (r.kind, r.action, r.resource, r.exercised_by, "ok" if r.ok else "FAIL")
            for r in self.rows
        ]
        widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(headers)]
        out = [
            "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(),
            "  ".join("-" * w for w in widths).rstrip(),
        ]
        out += [
            "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
            for line in lines
        ]
        return "\n".join(out)


def _platform_request(grant: Grant) -> Request:
    resource = grant.resource
    if resource.endswith(":*") and ":log-group:" in resource:
        resource = resource[:-1] + "log-stream:2026/01/01/[$LATEST]0123456789abcdef"
    context = {c.variable: c.values[0] for c in grant.conditions if c.values}
    return Request(grant.action, resource, context)


def _granted_pairs(policy: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    pairs: list[tuple[str, str, str]] = []
    for statement in policy.get("Statement", []):
        if statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action", [])
        resources = statement.get("Resource", [])
        for action in [actions] if isinstance(actions, str) else actions:
            for resource in [resources] if isinstance(resources, str) else resources:
                pairs.append((str(statement.get("Sid", "")), action, resource))
    return pairs


def prove(role: DerivedRole, policy: Mapping[str, Any], calls: Sequence[CallLike]) -> ProofResult:
    """Check both directions for one function; see the module docstring."""
    mine = [c for c in calls if c.function == role.kind]
    rows: list[ProofRow] = []
    denied: list[str] = []
    for call in sorted({(c.action, c.resource) for c in mine}):
        tests = sorted({c.test.rsplit("::", 1)[-1] for c in mine if (c.action, c.resource) == call})
        allowed = is_allowed(policy, Request(call[0], call[1]))
        if not allowed:
            denied.append(f"{role.kind}: {call[0]} on {call[1]} was called but is not allowed")
        rows.append(ProofRow(role.kind, call[0], call[1], "recorded: " + ", ".join(tests), allowed))
    platform = [g for g in role.grants if g.platform]
    for grant in platform:
        request = _platform_request(grant)
        allowed = is_allowed(policy, request)
        if not allowed:
            denied.append(
                f"{role.kind}: platform grant {grant.action} on {request.resource} "
                f"({grant.origin}) is not allowed"
            )
        rows.append(
            ProofRow(role.kind, grant.action, grant.resource, f"declared: {grant.origin}", allowed)
        )
    unexercised: list[str] = []
    granted: set[tuple[str, str]] = set()
    idle: set[tuple[str, str]] = set()
    platform_pairs = {(g.action.lower(), g.resource) for g in platform}
    for sid, action, resource in _granted_pairs(policy):
        if (action.lower(), resource) in platform_pairs:
            continue
        granted.add((sid, action))
        single = {"Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}
        if not any(
            c.action.lower() == action.lower() and is_allowed(single, Request(c.action, c.resource))
            for c in mine
        ):
            idle.add((sid, action))
            unexercised.append(
                f"{role.kind}: statement {sid} grants {action} on {resource} but no test "
                "exercises it and no platform capability declares it"
            )
            rows.append(ProofRow(role.kind, action, resource, "NOTHING", False))
    return ProofResult(
        tuple(denied), tuple(unexercised), tuple(sorted(rows)), frozenset(granted), frozenset(idle)
    )
