"""Resolve a login flow: the names of its API and its three stateless functions."""

from __future__ import annotations

from generator.kinds.auth_flow.resources import AuthFlowResources
from generator.model import names
from generator.model.deployment import Target
from generator.model.resolve import make_function
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
        api_name=names.make_name(names.GENERIC, target.env, blueprint, "api"),
        kms_alias=f"alias/{names.make_name(names.KMS_ALIAS, target.env, blueprint)}",
        login=functions["login"],
        callback=functions["callback"],
        jwks=functions["jwks"],
    )
