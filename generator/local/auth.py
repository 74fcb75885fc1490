"""Serve an AuthFlow's real handlers on 127.0.0.1 against a local OpenID provider.

The functions' environment is the deployment model's (``TRELLIS_AUTH`` as the rendered
stack sets it), with two local overrides: the issuer (``--issuer``) and the redirect URI
(the local port instead of the blueprint's domain). The SSM parameters the model names are
created in moto (started in-process) with keys generated now by
:func:`runtime.auth.keygen.generate`; they live in moto's memory only and are never
written to disk.

What can go wrong, each a :class:`~generator.errors.UserError` with the fix: the issuer
is not on this machine (no ``--issuer``), ``--issuer`` is not an ``http(s)://`` URL,
the port is taken, moto is not installed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, cast
from urllib.parse import urlsplit

from generator.errors import UserError
from generator.local.aws import LocalAws, start_local_aws
from generator.local.invoke import patched_environ
from generator.model.deployment import Deployment, Function

__all__ = [
    "LOCAL_CLIENT_ID",
    "LocalAuthFlow",
    "local_issuer",
    "serve_auth_flow",
]

#: The client id put in the client-id parameter unless ``--client-id`` says otherwise.
LOCAL_CLIENT_ID = "trellis-local"
#: Hosts a local OpenID provider listens on.
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
#: Parameters holding private keys (SecureString); the others are Strings.
SECRET_KEYS = frozenset({"signing_key", "encryption_key", "state_key"})
#: Which generated document each parameter holds (``runtime.auth.keygen`` file names).
KEYGEN_DOCUMENTS = {
    "signing_key": "signing-key.json",
    "encryption_key": "encryption-key.json",
    "state_key": "state-keys.json",
    "public_jwks": "public-jwks.json",
}


class AuthFlowResources(Protocol):
    """What the local run reads from a login flow's resolved resources."""

    redirect_uri: str
    parameters: Mapping[str, str]

    @property
    def functions(self) -> tuple[Function, ...]:
        """The flow's functions."""
        ...


@dataclass(frozen=True)
class LocalAuthFlow:
    """The served flow: its URLs, the provider it talks to, and the local endpoint."""

    url: str
    issuer: str
    client_id: str
    redirect_uri: str
    jwks_url: str
    login_url: str
    aws: LocalAws
    parameters: Mapping[str, str]

    def lines(self) -> list[str]:
        """What to register with the provider and what to open, as printed."""
        lines = ["SSM parameters in moto (client id, keys generated now):"]
        lines += [f"  parameter  {name}" for name in self.parameters.values()]
        lines += [
            f"serving the handlers on {self.url}",
            "",
            f"Register this client with the OpenID provider at {self.issuer}:",
            f"  client id     {self.client_id}",
            f"  redirect URI  {self.redirect_uri}",
            f"  JWKS URL      {self.jwks_url}",
            "",
            "Open in a browser:",
            f"  {self.login_url}",
            f"  then {self.url}/auth/me shows the signed-in session",
            "",
            "The login and session cookies are __Host- cookies (Secure). Browsers differ on",
            "keeping Secure cookies set over http://127.0.0.1 (the W3C Secure Contexts spec",
            "counts it as potentially trustworthy); one that drops them ends the login at",
            "the callback, logged as state_cookie_missing.",
            "",
            "The keys are in moto's memory only; point the AWS CLI or boto3 at it:",
        ]
        lines += [f"  export {name}={value}" for name, value in self.aws.environment().items()]
        return lines


def auth_flow_resources(deployment: Deployment) -> AuthFlowResources:
    """The login-flow resources of ``deployment`` (read through :class:`AuthFlowResources`)."""
    return cast("AuthFlowResources", deployment.resources)


def _settings(function: Function) -> dict[str, Any]:
    settings: dict[str, Any] = json.loads(dict(function.environment)["TRELLIS_AUTH"])
    return settings


def local_issuer(deployment: Deployment, issuer: str | None) -> str:
    """``--issuer``, else the model's issuer if it is on this machine.

    Raises:
        UserError: ``--issuer`` is not an http(s) URL, or none was given and the
            blueprint's issuer (for this environment) is not a local provider.
    """
    resources = auth_flow_resources(deployment)
    configured = str(_settings(resources.functions[0])["issuer"])
    if issuer is not None:
        parts = urlsplit(issuer)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UserError.single(
                "--issuer",
                f"{issuer!r} is not an http(s) URL",
                hint="pass the provider's issuer, e.g. --issuer http://127.0.0.1:9000",
                code="bad-issuer",
            )
        return issuer.rstrip("/")
    if (urlsplit(configured).hostname or "") in LOCAL_HOSTS:
        return configured
    raise UserError.single(
        "--issuer",
        f"{deployment.blueprint} in {deployment.target.env} signs in at {configured}, "
        "which is not an OpenID provider on this machine; a local run needs one",
        hint="start a local provider and pass its issuer, e.g. in a trellis checkout "
        "`node tests/auth/providers/oidc_provider.mjs CONFIG.json` (it prints READY <issuer>), "
        "then: trellis run "
        f"{deployment.blueprint} --issuer http://127.0.0.1:PORT",
        code="no-local-issuer",
    )


def _put_parameters(aws: LocalAws, names: Mapping[str, str], client_id: str) -> None:
    """Create the flow's parameters in moto: the client id and freshly generated keys."""
    import boto3

    from runtime.auth.keygen import generate

    documents = generate("local")
    ssm = boto3.client("ssm", region_name=aws.region, endpoint_url=aws.endpoint_url)
    for key, name in names.items():
        value = client_id if key == "client_id" else json.dumps(documents[KEYGEN_DOCUMENTS[key]])
        kind = "SecureString" if key in SECRET_KEYS else "String"
        ssm.put_parameter(Name=name, Value=value, Type=kind, Overwrite=True)


def function_environments(
    deployment: Deployment, issuer: str, redirect_uri: str
) -> dict[str, dict[str, str]]:
    """Each function's variables as the stack sets them, issuer and redirect URI local."""
    envs = {}
    for function in auth_flow_resources(deployment).functions:
        env = dict(function.environment)
        settings = _settings(function)
        settings.update(issuer=issuer, redirect_uri=redirect_uri)
        env["TRELLIS_AUTH"] = json.dumps(settings, sort_keys=True)
        envs[function.purpose] = env
    return envs


def _bound_port(port: int) -> int:
    """``port``, or a free one for 0 (the redirect URI must name it before serving)."""
    from generator.local.aws import free_port

    return port or free_port()


@contextmanager
def serve_auth_flow(
    deployment: Deployment, *, issuer: str, port: int, client_id: str
) -> Iterator[LocalAuthFlow]:
    """Start moto and the handlers; stop both when the ``with`` block ends.

    Raises:
        UserError: the port is taken, or moto is not installed.
    """
    from runtime.auth.local import routes_from_environments, serve

    resources = auth_flow_resources(deployment)
    port = _bound_port(port)
    url = f"http://127.0.0.1:{port}"
    redirect_path = urlsplit(resources.redirect_uri).path or "/auth/callback"
    redirect_uri = f"{url}{redirect_path}"
    settings = _settings(resources.functions[0])
    allowed = list(settings.get("allowed_return_paths") or ["/"])
    with start_local_aws(deployment.target.region) as aws, patched_environ(aws.environment()):
        _put_parameters(aws, resources.parameters, client_id)
        routes = routes_from_environments(function_environments(deployment, issuer, redirect_uri))
        try:
            server = serve(routes, port)
        except OSError as error:
            raise UserError.single(
                "--port",
                f"cannot listen on 127.0.0.1:{port}: {error.strerror}",
                hint="pass another --port, or --port 0 for a free one",
                code="port-in-use",
            ) from None
        try:
            yield LocalAuthFlow(
                url=url,
                issuer=issuer,
                client_id=client_id,
                redirect_uri=redirect_uri,
                jwks_url=f"{url}/.well-known/jwks.json",
                login_url=f"{url}/auth/login?return_to={allowed[0]}",
                aws=aws,
                parameters=dict(resources.parameters),
            )
        finally:
            server.close()
