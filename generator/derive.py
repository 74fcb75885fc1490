"""The derive stage: each function's IAM role from the capabilities it wires in.

The runtime declares what each handler's code calls (``CAPABILITIES`` next to the code);
the deployment model says which resources the function is wired to. This module joins
the two into :class:`~generator.iam.wiring.FunctionWiring` and lets
:func:`generator.iam.derive.derive_role` turn it into a least-privilege role.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from generator.iam.derive import DerivedRole, derive_role
from generator.iam.wildcards import WildcardAllowList, load_wildcard_allowlist
from generator.iam.wiring import FunctionWiring
from generator.model.deployment import Deployment, Function, IngestionResources


@dataclass(frozen=True)
class StackRoles:
    """The derived roles of one root stack and the HCL references their ARNs need."""

    roles: tuple[tuple[str, DerivedRole], ...]
    references: dict[str, str]


def kms_key_token(deployment: Deployment) -> str:
    """The ARN of the stack's KMS key as it appears in policies before apply."""
    t = deployment.target
    return f"arn:{t.partition}:kms:{t.region}:{t.account_id}:key/${{module.kms.key_id}}"


#: Resource roles wired from the retrieval's control parameters (checkpoint, stop switch).
_CONTROL_PARAMETERS = (
    ("checkpoint", "TRELLIS_CHECKPOINT_PARAMETER"),
    ("stop_switch", "TRELLIS_STOP_PARAMETER"),
)
_UNENCRYPTED = frozenset({"parameter", "checkpoint", "stop_switch"})


@functools.cache
def _allowlist() -> WildcardAllowList:
    return load_wildcard_allowlist()


def _capabilities(handler: str) -> tuple[Any, ...]:
    module = import_module(handler.rsplit(".", 1)[0])
    return tuple(module.CAPABILITIES)


def _ingestion_wiring(
    deployment: Deployment, resources: IngestionResources, function: Function
) -> FunctionWiring:
    t = deployment.target
    spec: Any = deployment.spec
    wired: dict[str, tuple[str, ...]] = {"queue": (resources.queue_arn,)}
    if function.purpose == "process":
        wired["table"] = (resources.table_arn,)
        wired["backup_objects"] = (f"{resources.backup_bucket_arn}/{resources.backup_prefix}*",)
    auth = spec.source.http.auth
    if function.purpose == "retrieve" and auth is not None:
        name = auth.bearer_token_parameter or auth.api_key_parameter.name
        wired["parameter"] = (t.arn("ssm", f"parameter{name}"),)
    environment = dict(function.environment)
    for role, variable in _CONTROL_PARAMETERS:
        if environment.get(variable):
            wired[role] = (t.arn("ssm", f"parameter{environment[variable]}"),)
    capabilities = tuple(c for c in _capabilities(function.handler) if c.resource in wired)
    key = kms_key_token(deployment)
    return FunctionWiring(
        function_name=function.name,
        kind=f"ingest.{function.purpose}",
        role_name=function.role_name,
        account_id=t.account_id,
        region=t.region,
        partition=t.partition,
        log_group_name=function.log_group,
        capabilities=capabilities,
        resources=wired,  # type: ignore[arg-type]
        event_source="queue" if function.purpose == "process" else None,
        dead_letter_arn=resources.dlq_arn if function.purpose == "retrieve" else None,
        # SecureString parameters use the account's SSM key; the control parameters are Strings
        kms_keys={role: key for role in wired if role not in _UNENCRYPTED},  # type: ignore[misc]
        tracing=True,
        permissions_boundary=t.permissions_boundary,
    )


def derive_stack_roles(deployment: Deployment) -> StackRoles:
    """Every function role of ``deployment``, keyed by the function's purpose.

    Raises :class:`~generator.iam.wiring.WiringError` (an internal error) when the
    runtime's declarations and the model's wiring do not fit together.
    """
    resources = deployment.resources
    roles = []
    # Only ingestion functions have a runtime yet; AuthFlow's lands with its own issue.
    if isinstance(resources, IngestionResources):
        for function in resources.functions:
            wiring = _ingestion_wiring(deployment, resources, function)
            roles.append((function.purpose, derive_role(wiring, _allowlist())))
    return StackRoles(
        roles=tuple(roles), references={kms_key_token(deployment): "module.kms.key_arn"}
    )
