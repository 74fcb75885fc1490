"""Derive a login-flow function's wiring: exactly the SSM parameters it reads.

One role per function. The runtime declares ``ssm:GetParameter`` on its ``parameter``
resource; each function is wired to the parameters its handler reads
(``contract.AUTH_FLOW_PARAMETERS``), so the login function cannot read the encryption key
and the JWKS function no private key at all. When the SecureStrings are encrypted with a
customer managed key (``parameters_kms_key_arn``), the role may call ``kms:Decrypt`` on
that key only through SSM (a platform grant with ``kms:ViaService``).
"""

from __future__ import annotations

from typing import Any

from generator.derive import capabilities_of
from generator.iam.wiring import FunctionWiring
from generator.kinds.auth_flow.resources import AuthFlowResources
from generator.model.deployment import Deployment, Function


def auth_flow_wiring(
    deployment: Deployment, resources: AuthFlowResources, function: Function
) -> FunctionWiring:
    """The function's own parameters, and the parameters' key if the blueprint names one."""
    t = deployment.target
    spec: Any = deployment.spec
    names = [resources.parameters[key] for key in resources.function_parameters[function.purpose]]
    wired: dict[str, tuple[str, ...]] = {}
    if names:
        wired["parameter"] = tuple(t.arn("ssm", f"parameter{name}") for name in names)
    capabilities = tuple(c for c in capabilities_of(function.handler) if c.resource in wired)
    kms = (
        {"parameter": spec.parameters_kms_key_arn} if names and spec.parameters_kms_key_arn else {}
    )
    return FunctionWiring(
        function_name=function.name,
        kind=f"auth.{function.purpose}",
        role_name=function.role_name,
        account_id=t.account_id,
        region=t.region,
        partition=t.partition,
        log_group_name=function.log_group,
        capabilities=capabilities,
        resources=wired,  # type: ignore[arg-type]
        kms_keys=kms,  # type: ignore[arg-type]
        tracing=True,
        permissions_boundary=t.permissions_boundary,
    )
