"""Derive an ingestion function's wiring: which of the pipeline's resources it touches."""

from __future__ import annotations

from typing import Any

from generator.derive import capabilities_of, kms_key_token
from generator.iam.wiring import FunctionWiring
from generator.kinds.ingestion.resources import IngestionResources
from generator.model.deployment import Deployment, Function
from runtime import contract

#: Resource roles wired from the retrieval's control parameters (checkpoint, stop switch).
_CONTROL_PARAMETERS = (
    ("checkpoint", contract.CHECKPOINT_PARAMETER),
    ("stop_switch", contract.STOP_PARAMETER),
)
_UNENCRYPTED = frozenset({"parameter", "checkpoint", "stop_switch"})


def ingestion_wiring(
    deployment: Deployment, resources: IngestionResources, function: Function
) -> FunctionWiring:
    """The queue for both functions; table and backups for ``process``; the source's
    secret parameters and, with ``incremental``, the state table (its ``table``) for
    ``retrieve``; every role but the parameters' under the stack key."""
    t = deployment.target
    spec: Any = deployment.spec
    wired: dict[str, tuple[str, ...]] = {"queue": (resources.queue_arn,)}
    if function.purpose == "process":
        wired["table"] = (resources.table_arn,)
        wired["backup_objects"] = (f"{resources.backup_bucket_arn}/{resources.backup_prefix}*",)
    auth = spec.source.http.auth if spec.source is not None else None
    if function.purpose == "retrieve" and auth is not None:
        wired["parameter"] = tuple(
            sorted({t.arn("ssm", f"parameter{name}") for name in auth.parameters})
        )
    if function.purpose == "retrieve" and resources.state_table_arn is not None:
        wired["table"] = (resources.state_table_arn,)
    environment = dict(function.environment)
    for role, variable in _CONTROL_PARAMETERS:
        if environment.get(variable):
            wired[role] = (t.arn("ssm", f"parameter{environment[variable]}"),)
    capabilities = tuple(c for c in capabilities_of(function.handler) if c.resource in wired)
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
        dead_letter_arn=resources.async_failures_arn if function.purpose == "retrieve" else None,
        # SecureString parameters use the account's SSM key; the control parameters are Strings
        kms_keys={role: key for role in wired if role not in _UNENCRYPTED},  # type: ignore[misc]
        tracing=True,
        permissions_boundary=t.permissions_boundary,
    )
