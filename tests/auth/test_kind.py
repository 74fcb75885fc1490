"""AuthFlow as a kind: what resolve writes, the runtime reads; each role reads only its
own parameters; the rendered stack wires the five functions into the auth_flow module."""

from __future__ import annotations

import importlib
import json
from pathlib import Path, PurePosixPath
from typing import Any

import hcl2
import pytest

from generator.derive import derive_stack_roles
from generator.kinds.auth_flow.resources import AuthFlowResources
from generator.model.deployment import Deployment, Function
from generator.pipeline import load_and_resolve
from generator.render.stack import auth_api_parameter
from runtime import contract
from runtime.auth.settings import load_auth
from runtime.contract.auth_flow import AuthFlowSettings
from runtime.contract.codec import json_keys
from tests.render.support import render_repo

ROOT = Path(__file__).parents[2]
_, DEPLOYMENTS = load_and_resolve(ROOT)
AUTH = [d for d in DEPLOYMENTS if d.kind == "AuthFlow"]
FUNCTIONS = [(d, f) for d in AUTH for f in d.resources.functions]


def test_the_examples_have_an_auth_flow_in_every_environment() -> None:
    """citizen-login resolves in dev, stg and prd with the five functions."""
    assert sorted(d.key for d in AUTH) == [
        "dev/citizen-login", "prd/citizen-login", "stg/citizen-login",
    ]  # fmt: skip
    for deployment in AUTH:
        purposes = [f.purpose for f in deployment.resources.functions]
        assert purposes == list(contract.AUTH_FLOW_FUNCTIONS)


@pytest.mark.parametrize(
    ("deployment", "function"), FUNCTIONS, ids=lambda v: getattr(v, "name", "")
)
def test_the_runtime_reads_back_what_resolve_wrote(
    deployment: Deployment, function: Function
) -> None:
    """Each function's variables load, with the spec's values and only its own parameters."""
    env = dict(function.environment)
    spec: Any = deployment.spec
    resources = deployment.resources
    assert isinstance(resources, AuthFlowResources)
    assert sorted(env) == sorted(contract.AUTH_VARIABLES)
    assert function.handler == contract.AUTH_FLOW_HANDLERS[function.purpose]
    settings = load_auth(env)
    assert settings.function == function.purpose
    assert settings.flow.issuer == str(spec.issuer)
    assert settings.flow.redirect_uri == f"https://{spec.domain}{spec.redirect_path}"
    assert settings.flow.scopes == tuple(spec.scopes)
    assert settings.flow.authentication_context_type == spec.authentication_context_type
    assert settings.flow.allowed_return_paths == tuple(spec.allowed_return_paths)
    assert settings.flow.session_ttl_minutes == spec.session_ttl_minutes
    reads = contract.AUTH_FLOW_PARAMETERS[function.purpose]
    assert dict(settings.flow.parameters) == {k: resources.parameters[k] for k in reads}
    module = importlib.import_module(function.handler.rsplit(".", 1)[0])
    assert callable(module.handler) and reads == module.PARAMETERS


def test_the_settings_keys_are_what_the_runtime_accepts() -> None:
    """Every key resolve writes into TRELLIS_AUTH is one the runtime knows."""
    for _, function in FUNCTIONS:
        written = json.loads(dict(function.environment)[contract.AUTH])
        assert set(written) <= set(json_keys(AuthFlowSettings))


@pytest.mark.parametrize("deployment", AUTH, ids=lambda d: d.key)
def test_each_role_reads_exactly_its_own_parameters(deployment: Deployment) -> None:
    """One role per function: ssm:GetParameter on its parameters, nothing for logout."""
    resources = deployment.resources
    assert isinstance(resources, AuthFlowResources)
    roles = dict(derive_stack_roles(deployment).roles)
    assert sorted(roles) == sorted(contract.AUTH_FLOW_FUNCTIONS)
    for purpose, role in roles.items():
        statements = role.policy.to_json()["Statement"]
        ssm = [s for s in statements if "ssm:GetParameter" in s["Action"]]
        expected = sorted(
            deployment.target.arn("ssm", f"parameter{resources.parameters[key]}")
            for key in contract.AUTH_FLOW_PARAMETERS[purpose]
        )
        assert sorted(r for s in ssm for r in s["Resource"]) == expected, purpose
        actions = {a for s in statements for a in s["Action"]}
        assert not [a for a in actions if a.startswith(("kms:", "ssm:Put", "ssm:GetParameters"))]


def test_a_customer_managed_parameter_key_is_granted_only_through_ssm() -> None:
    """With parameters_kms_key_arn, kms:Decrypt on that key with kms:ViaService ssm."""
    deployment = AUTH[0]
    key = f"arn:aws:kms:{deployment.target.region}:{deployment.target.account_id}:key/" + (
        "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    )
    spec = deployment.spec.model_copy(update={"parameters_kms_key_arn": key})
    changed = Deployment(**{**deployment.__dict__, "spec": spec})
    roles = dict(derive_stack_roles(changed).roles)
    for purpose, role in roles.items():
        kms = [s for s in role.policy.to_json()["Statement"] if "kms:Decrypt" in s["Action"]]
        if purpose == "logout":
            assert kms == []
            continue
        assert [s["Resource"] for s in kms] == [[key]]
        assert "kms:ViaService" in json.dumps(kms)


def test_the_rendered_stack_wires_five_functions_into_the_api_module() -> None:
    """main.tf has kms, five lambda_function modules and the auth module; the portal reads
    the parameter the flow writes."""
    result = render_repo()
    for deployment in AUTH:
        main = result.tree[PurePosixPath(deployment.key, "main.tf")]
        parsed = hcl2.loads(main.decode())
        modules = {
            name.strip('"'): body for block in parsed["module"] for name, body in block.items()
        }
        assert sorted(modules) == sorted(["kms", "auth", *contract.AUTH_FLOW_FUNCTIONS])
        auth = {key: str(value).strip('"') for key, value in modules["auth"].items()}
        assert auth["source"] == "../../modules/auth_flow"
        resources = deployment.resources
        assert isinstance(resources, AuthFlowResources)
        assert auth["api_domain_parameter_name"] == auth_api_parameter(
            deployment.target.env, deployment.blueprint
        )
        assert auth["callback_path"] == deployment.spec.redirect_path  # type: ignore[attr-defined]
