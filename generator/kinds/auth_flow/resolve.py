"""Resolve a login flow: the names of its API and its three stateless functions."""

from __future__ import annotations

from generator.kinds.auth_flow.resources import AuthFlowResources
from generator.model import names
from generator.model.deployment import Target
from generator.model.resolve import kms_alias, make_function
from runtime import contract


def auth_flow_resources(blueprint: str, target: Target) -> AuthFlowResources:
    """Names of a login flow's API and its three stateless functions."""
    functions = {
        purpose: make_function(
            target, blueprint, purpose, contract.AUTH_FLOW_HANDLERS[purpose], 256, 10, {}
        )
        for purpose in ("login", "callback", "jwks")
    }
    return AuthFlowResources(
        api_domain_parameter=names.ssm_parameter(
            target.env, blueprint, "api-domain", target.namespace
        ),
        api_name=names.scoped_name(names.GENERIC, target.env, target.namespace, blueprint, "api"),
        kms_alias=kms_alias(target, blueprint),
        login=functions["login"],
        callback=functions["callback"],
        jwks=functions["jwks"],
    )
