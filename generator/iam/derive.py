"""Derive one function's role: its identity policy, trust policy and boundary.

Every grant comes from a declaration: a runtime component's capability on a resource the
function is wired to, or a platform capability with its reason
(:mod:`generator.iam.platform`). Grants are grouped into statements per resource ARN
(and per condition), actions sorted, resources sorted, statements ordered by a stable
``Sid`` named for what they cover (``Queue``, ``Table``, ``BackupObjects``,
``Parameters``, ``Logs``, ``KmsViaSqs``...). The same wiring always yields the same
bytes.

What can go wrong: a wiring that contradicts itself raises
:class:`~generator.iam.wiring.WiringError`; a platform action that would need resource
``*`` but is not on the reviewed list raises :class:`UnlistedWildcardError`. Both are
bugs in trellis, not user mistakes, and keep their traceback.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from generator.iam import arns
from generator.iam.capabilities import PlatformCapability, ResourceRole
from generator.iam.model import Condition, PolicyDocument, Statement
from generator.iam.platform import platform_capabilities
from generator.iam.trust import TrustPolicy
from generator.iam.wildcards import WildcardAllowList
from generator.iam.wiring import FunctionWiring, WiringError

LAMBDA_SERVICE = "lambda.amazonaws.com"

_SECTION_SID: dict[str, str] = {
    "queue": "Queue",
    "table": "Table",
    "backup_objects": "BackupObjects",
    "parameter": "Parameters",
    "checkpoint": "Checkpoint",
    "stop_switch": "StopSwitch",
    "log_group": "Logs",
    "dead_letter": "DeadLetterQueue",
}


class UnlistedWildcardError(WiringError):
    """A grant would need resource ``*`` but its action is not on the reviewed list."""


@dataclass(frozen=True, order=True)
class Grant:
    """One (action, resource) a function is granted, and who asked for it.

    ``origin`` is the component (``ingest.dedup`` or ``lambda.logs``); ``platform`` is true
    for grants the runtime code does not call itself; ``reason`` explains platform grants.
    """

    action: str
    resource: str
    origin: str
    platform: bool
    reason: str = ""
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class DerivedRole:
    """A function's execution role as data: what the renderer and the review file show."""

    function_name: str
    kind: str
    role_name: str
    account_id: str
    region: str
    partition: str
    policy: PolicyDocument
    trust: TrustPolicy
    permissions_boundary: str | None
    grants: tuple[Grant, ...]

    @property
    def statements(self) -> tuple[Statement, ...]:
        """The identity policy's statements (for ``aws_iam_policy_document``)."""
        return self.policy.statements

    def to_json(self) -> dict[str, object]:
        """The review file's content: the role's documents, as IAM and CloudFormation name them."""
        return {
            "Function": self.function_name,
            "Kind": self.kind,
            "RoleName": self.role_name,
            "AccountId": self.account_id,
            "Region": self.region,
            "Partition": self.partition,
            "PermissionsBoundary": self.permissions_boundary,
            "AssumeRolePolicyDocument": self.trust.to_json(),
            "PolicyDocument": self.policy.to_json(),
            "Origins": self.origins(),
        }

    def origins(self) -> dict[str, dict[str, object]]:
        """Why each action is granted, per component: the review file's ``Origins``."""
        actions: dict[str, set[str]] = {}
        reasons: dict[str, str] = {}
        for grant in self.grants:
            actions.setdefault(grant.origin, set()).add(grant.action)
            reasons[grant.origin] = (
                grant.reason
                or f"the runtime component {grant.origin} calls these (its CAPABILITIES)"
            )
        return {
            origin: {"Actions": sorted(actions[origin]), "Reason": reasons[origin]}
            for origin in sorted(actions)
        }


def _section_of(capability: PlatformCapability) -> str:
    if capability.target == "kms_key":
        return f"KmsVia{(capability.via_service or '').capitalize()}"
    if capability.target == "none":
        services = sorted({action.split(":", 1)[0] for action in capability.actions})
        return "".join(s.capitalize() for s in services) + "AnyResource"
    return _SECTION_SID[capability.target]


def _platform_grants(
    wiring: FunctionWiring, allowlist: WildcardAllowList
) -> list[tuple[str, Grant]]:
    log_group = arns.log_group_arn(
        wiring.partition, wiring.region, wiring.account_id, wiring.log_group_name
    )
    found: list[tuple[str, Grant]] = []
    for capability in platform_capabilities(wiring):
        conditions: tuple[Condition, ...] = ()
        if capability.target == "log_group":
            resources: tuple[str, ...] = (log_group,)
        elif capability.target == "queue":
            resources = wiring.resources["queue"]
        elif capability.target == "dead_letter":
            resources = (wiring.dead_letter_arn or "",)
        elif capability.target == "kms_key":
            role: ResourceRole = capability.key_role  # type: ignore[assignment]
            resources = (wiring.kms_keys[role],)
            via = f"{capability.via_service}.{wiring.region}.amazonaws.com"
            conditions = (Condition("StringEquals", "kms:ViaService", (via,)),)
        else:
            for action in capability.actions:
                if not allowlist.allows(action):
                    raise UnlistedWildcardError(
                        f"{capability.component} needs {action} on '*' but it is not listed "
                        f"in {allowlist.source}"
                    )
            resources = ("*",)
        section = _section_of(capability)
        for resource in resources:
            for action in capability.actions:
                grant = Grant(
                    action=action,
                    resource=resource,
                    origin=capability.component,
                    platform=True,
                    reason=capability.reason,
                    conditions=conditions,
                )
                found.append((section, grant))
    return found


def _runtime_grants(wiring: FunctionWiring) -> list[tuple[str, Grant]]:
    found: list[tuple[str, Grant]] = []
    for capability in wiring.capabilities:
        role: ResourceRole = capability.resource  # type: ignore[assignment]
        for resource in wiring.resources.get(role, ()):
            for action in capability.actions:
                grant = Grant(action, resource, capability.component, platform=False)
                found.append((_SECTION_SID[role], grant))
    return found


def _statements(grants: list[tuple[str, Grant]]) -> tuple[Statement, ...]:
    per_resource: dict[tuple[str, tuple[Condition, ...], str], set[str]] = defaultdict(set)
    for section, grant in grants:
        per_resource[(section, grant.conditions, grant.resource)].add(grant.action)
    merged: dict[tuple[str, tuple[Condition, ...], tuple[str, ...]], list[str]] = defaultdict(list)
    for (section, conditions, resource), action_set in per_resource.items():
        merged[(section, conditions, tuple(sorted(action_set)))].append(resource)
    by_section: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], tuple[Condition, ...]]]]
    by_section = defaultdict(list)
    for (section, conditions, actions), resource_list in merged.items():
        by_section[section].append((tuple(sorted(resource_list)), actions, conditions))
    statements: list[Statement] = []
    for section, entries in by_section.items():
        for index, (resources, sorted_actions, when) in enumerate(sorted(entries), start=1):
            sid = section if index == 1 else f"{section}{index}"
            statements.append(
                Statement(
                    sid=sid,
                    actions=sorted_actions,
                    resources=resources,
                    conditions=tuple(sorted(when)),
                )
            )
    return tuple(sorted(statements, key=lambda s: s.sid))


def derive_role(wiring: FunctionWiring, allowlist: WildcardAllowList) -> DerivedRole:
    """The execution role for ``wiring``: least privilege, deterministic.

    Raises :class:`WiringError` (or :class:`UnlistedWildcardError`) as described in the
    module docstring.
    """
    wiring.validate()
    grants = _runtime_grants(wiring) + _platform_grants(wiring, allowlist)
    return DerivedRole(
        function_name=wiring.function_name,
        kind=wiring.kind,
        role_name=wiring.role_name,
        account_id=wiring.account_id,
        region=wiring.region,
        partition=wiring.partition,
        policy=PolicyDocument(_statements(grants)),
        trust=TrustPolicy(service=LAMBDA_SERVICE, source_account=wiring.account_id),
        permissions_boundary=wiring.permissions_boundary,
        grants=tuple(sorted({grant for _, grant in grants})),
    )
