"""Resolve a login flow: its API, five stateless functions and their settings."""

from __future__ import annotations

from typing import Any, get_args

from generator.kinds.auth_flow.resources import AuthFlowResources
from generator.model import names
from generator.model.deployment import Target
from generator.model.resolve import kms_alias, make_function
from runtime import contract
from runtime.contract.auth_flow import AuthFlowSettings, AuthFunction, AuthFunctionSettings
from runtime.contract.common import as_log_level
from runtime.contract.environment import to_environment

MEMORY_MB = 256
TIMEOUT_SECONDS = 15
"""Enough for two back-channel calls with one DPoP nonce retry each at 5 s timeouts is not
the point; the provider answers in well under a second. 15 s bounds a stuck request."""


def flow_settings(spec: Any, redirect_uri: str, parameters: dict[str, str]) -> AuthFlowSettings:
    """``TRELLIS_AUTH`` of one function: the spec as the runtime reads it, with only the
    SSM ``parameters`` that function reads."""
    return AuthFlowSettings(
        profile=spec.profile,
        issuer=str(spec.issuer),
        redirect_uri=redirect_uri,
        scopes=tuple(spec.scopes),
        authentication_context_type=spec.authentication_context_type,
        authentication_context_message=spec.authentication_context_message,
        acr_values=" ".join(spec.acr_values) or None,
        allowed_return_paths=tuple(spec.allowed_return_paths),
        session_ttl_minutes=spec.session_ttl_minutes,
        parameters=parameters,
    )


def _parameters(spec: Any) -> dict[str, str]:
    """Every SSM parameter of the flow by its TRELLIS_AUTH.parameters key."""
    return {
        "client_id": spec.client_id_parameter,
        "signing_key": spec.signing_key_parameter,
        "encryption_key": spec.encryption_key_parameter,
        "state_key": spec.state_key_parameter,
        "public_jwks": spec.public_jwks_parameter,
    }


def function_settings(blueprint: str, spec: Any, target: Target) -> dict[str, AuthFunctionSettings]:
    """The contract settings of each of the flow's functions, by purpose.

    Resolve writes them with :func:`~runtime.contract.environment.to_environment`; the runtime
    reads the same objects back (``tests/contract/`` holds the two equal).
    """
    parameters = _parameters(spec)
    redirect_uri = f"https://{spec.domain}{spec.redirect_path}"
    return {
        purpose: AuthFunctionSettings(
            blueprint=blueprint,
            environment=target.env,
            function=purpose,
            log_level=as_log_level(target.log_level),
            flow=flow_settings(
                spec,
                redirect_uri,
                {key: parameters[key] for key in contract.AUTH_FLOW_PARAMETERS[purpose]},
            ),
        )
        for purpose in get_args(AuthFunction)
    }


def auth_flow_resources(blueprint: str, spec: Any, target: Target) -> AuthFlowResources:
    """Names of a login flow's API, functions, log group, topic and parameters."""
    parameters = _parameters(spec)
    redirect_uri = f"https://{spec.domain}{spec.redirect_path}"
    functions = {
        purpose: make_function(
            target,
            blueprint,
            purpose,
            contract.AUTH_FLOW_HANDLERS[purpose],
            MEMORY_MB,
            TIMEOUT_SECONDS,
            to_environment(settings),
        )
        for purpose, settings in function_settings(blueprint, spec, target).items()
    }
    api_name = names.scoped_name(names.GENERIC, target.env, target.namespace, blueprint, "api")
    return AuthFlowResources(
        api_name=api_name,
        kms_alias=kms_alias(target, blueprint),
        access_log_group=f"{api_name}-access",
        alarm_topic_name=names.scoped_name(
            names.SNS_TOPIC, target.env, target.namespace, blueprint, "alarms"
        ),
        api_domain_parameter=names.ssm_parameter(
            target.env, blueprint, "api-domain", target.namespace
        ),
        redirect_uri=redirect_uri,
        parameters=parameters,
        function_parameters=dict(contract.AUTH_FLOW_PARAMETERS),
        **functions,
    )
