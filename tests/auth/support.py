"""Test support for the auth flow: keys, SSM parameters, the providers, a browser.

Everything is real: the providers are the npm packages started on 127.0.0.1, the keys
live in SSM (moto server), the handlers are served by ``runtime.auth.local``. The only
test-side interposition is :class:`Interceptor`, the HTTP client the handlers use to
reach the provider, which the attack tests use to tamper with requests and responses in
transit (what a network attacker or a malicious provider could do).
"""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import boto3
from joserfc.jwk import ECKey

from runtime import contract
from runtime.auth import callback, jwks, login, logout, session
from runtime.auth.context import AuthContext
from runtime.auth.http import Http, Response, UrllibHttp
from runtime.auth.local import LocalServer, serve
from runtime.auth.settings import load_auth
from runtime.core import logs
from runtime.core.aws import client
from runtime.core.retry import Retrier
from runtime.core.secret_store import SecretStore
from runtime.core.settings import RetryPolicy
from tests.runtime.support import free_port

REPO = Path(__file__).parents[2]
PROVIDERS = Path(__file__).with_name("providers")
CLIENT_ID = "trellis-test-client"
SUB = "2f6f5a44-9b1e-4cf2-9f64-6f1b3c0a8d11"
#: One log buffer per test process: the ``trellis`` logger has one handler.
LOG = io.StringIO()
MODULES = {"login": login, "callback": callback, "session": session, "logout": logout, "jwks": jwks}


@dataclass(frozen=True)
class Keys:
    """The relying party's keys, the state key ring, and the OpenID provider's key."""

    signing: ECKey
    encryption: ECKey
    ring: dict[str, Any]
    provider: ECKey

    @classmethod
    def generate(cls) -> Keys:
        """Fresh keys for one test session."""
        signing = ECKey.generate_key("P-256", {"kid": "rp-sig-1", "use": "sig", "alg": "ES256"})
        encryption = ECKey.generate_key(
            "P-256", {"kid": "rp-enc-1", "use": "enc", "alg": "ECDH-ES+A256KW"}
        )
        provider = ECKey.generate_key("P-256", {"kid": "op-sig-1", "use": "sig", "alg": "ES256"})
        ring = {
            "current": "2026-12",
            "keys": {
                "2026-06": base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("="),
                "2026-12": base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("="),
            },
        }
        return cls(signing, encryption, ring, provider)

    def public_jwks(self) -> dict[str, Any]:
        """What the jwks function serves: the public halves, with use and alg."""
        return {
            "keys": [
                dict(self.signing.as_dict(private=False)),
                dict(self.encryption.as_dict(private=False)),
            ]
        }

    def secrets(self) -> list[str]:
        """Strings that must never appear in a log line."""
        found = [str(k.as_dict(private=True)["d"]) for k in (self.signing, self.encryption)]
        found.append(str(self.provider.as_dict(private=True)["d"]))
        return found + list(self.ring["keys"].values())


def put_parameters(prefix: str, keys: Keys) -> dict[str, str]:
    """Create the five parameters under ``prefix`` in SSM (moto); their names by key."""
    ssm = boto3.client("ssm")
    values = {
        "client_id": (CLIENT_ID, "String"),
        "signing_key": (json.dumps(keys.signing.as_dict(private=True)), "SecureString"),
        "encryption_key": (json.dumps(keys.encryption.as_dict(private=True)), "SecureString"),
        "state_key": (json.dumps(keys.ring), "SecureString"),
        "public_jwks": (json.dumps(keys.public_jwks()), "String"),
    }
    names = {}
    for key, (value, kind) in values.items():
        name = f"{prefix}/{key.replace('_', '-')}"
        ssm.put_parameter(Name=name, Value=value, Type=kind, Overwrite=True)
        names[key] = name
    return names


class Interceptor:
    """The handlers' HTTP client to the provider, with hooks to tamper in transit.

    ``on_request(method, url, headers, body)`` may return replaced ``(headers, body)``;
    ``on_response(method, url, response)`` may return a replaced response.
    """

    def __init__(self, inner: Http | None = None) -> None:
        self.inner = inner or UrllibHttp()
        self.on_request: Callable[..., tuple[dict[str, str], bytes | None]] | None = None
        self.on_response: Callable[[str, str, Response], Response] | None = None
        self.sent: list[tuple[str, str, dict[str, str], bytes | None]] = []

    def reset(self) -> None:
        """No tampering, nothing recorded."""
        self.on_request = self.on_response = None
        self.sent = []

    def request(
        self, method: str, url: str, *, headers: Mapping[str, str], body: bytes | None = None
    ) -> Response:
        """Forward to the provider, tampering where a hook says so."""
        headers = dict(headers)
        if self.on_request is not None:
            headers, body = self.on_request(method, url, headers, body)
        self.sent.append((method, url, headers, body))
        response = self.inner.request(method, url, headers=headers, body=body)
        if self.on_response is not None:
            response = self.on_response(method, url, response)
        return response


@dataclass
class Clock:
    """Wall-clock time plus an offset the tests move (nothing sleeps)."""

    offset: float = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


PARAMETERS = contract.AUTH_FLOW_PARAMETERS


def auth_environment(
    function: str,
    *,
    profile: str,
    issuer: str,
    redirect_uri: str,
    names: Mapping[str, str],
    scopes: tuple[str, ...] = ("openid",),
) -> dict[str, str]:
    """The variables the generator sets on ``function`` (its own parameters only)."""
    settings = {
        "profile": profile,
        "issuer": issuer,
        "redirect_uri": redirect_uri,
        "scopes": list(scopes),
        "authentication_context_type": "APP_AUTHENTICATION_DEFAULT",
        "authentication_context_message": "Sign in to the citizen portal",
        "allowed_return_paths": ["/dashboard", "/profile"],
        "session_ttl_minutes": 15,
        "parameters": {key: names[key] for key in PARAMETERS[function]},
    }
    if profile == "legacy":
        del settings["authentication_context_type"], settings["authentication_context_message"]
    return {
        "TRELLIS_BLUEPRINT": "citizen-login",
        "TRELLIS_ENV": "dev",
        "TRELLIS_FUNCTION": function,
        "TRELLIS_LOG_LEVEL": "INFO",
        "TRELLIS_AUTH": json.dumps(settings),
    }


@dataclass
class RelyingParty:
    """The five handlers served on 127.0.0.1, one context (and SSM cache) each."""

    server: LocalServer
    contexts: dict[str, AuthContext]
    http: Interceptor
    clock: Clock
    log: io.StringIO
    keys: Keys

    @property
    def url(self) -> str:
        """The base URL (the portal's origin in production)."""
        return self.server.url

    def log_lines(self) -> list[dict[str, Any]]:
        """The JSON log lines written since the last :meth:`reset`."""
        return [json.loads(line) for line in self.log.getvalue().splitlines() if line]

    def reset(self) -> None:
        """No tampering, the real time, an empty log (the ``trellis`` logger writing to it)."""
        logs.configure(
            level="INFO", blueprint="citizen-login", environment="dev", function="auth", stream=LOG
        )
        self.http.reset()
        self.clock.offset = 0.0
        self.log.seek(0)
        self.log.truncate()


def start_relying_party(
    keys: Keys,
    names: Mapping[str, str],
    *,
    profile: str,
    issuer: str,
    port: int,
    scopes: tuple[str, ...] = ("openid",),
) -> RelyingParty:
    """Serve the handlers on ``port`` for ``issuer``, reading keys from SSM."""
    http = Interceptor()
    clock = Clock()
    logs.configure(
        level="INFO", blueprint="citizen-login", environment="dev", function="auth", stream=LOG
    )
    redirect_uri = f"http://127.0.0.1:{port}/auth/callback"
    contexts = {}
    for function in MODULES:
        env = auth_environment(
            function,
            profile=profile,
            issuer=issuer,
            redirect_uri=redirect_uri,
            names=names,
            scopes=scopes,
        )
        store = SecretStore(client("ssm"), Retrier(RetryPolicy(max_attempts=2)))
        contexts[function] = AuthContext(load_auth(env), store, http, clock)

    def route(function: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
        module, ctx = MODULES[function], contexts[function]
        return lambda event: dict(module.handle(ctx, event))

    server = serve(
        {
            "GET /auth/login": route("login"),
            "GET /auth/callback": route("callback"),
            "GET /auth/me": route("session"),
            "GET /auth/logout": route("logout"),
            "POST /auth/logout": route("logout"),
            "GET /.well-known/jwks.json": route("jwks"),
        },
        port,
    )
    return RelyingParty(server, contexts, http, clock, LOG, keys)


# -- providers ------------------------------------------------------------------------------


@dataclass
class NodeProvider:
    """A provider started with node; stopped with :meth:`stop`."""

    process: subprocess.Popen[str]
    issuer: str
    output: list[str] = field(default_factory=list)

    def stop(self) -> None:
        """Terminate the process (it is ours; nothing else is touched)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_node(args: list[str], env: Mapping[str, str]) -> NodeProvider:
    """Run ``node args`` and wait (at most 30 s) for its ``READY <issuer>`` line."""
    process = subprocess.Popen(
        ["node", *args],
        cwd=REPO,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    ready: list[str] = []
    output: list[str] = []

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if line.startswith("READY ") and not ready:
                ready.append(line.split(" ", 1)[1].strip())

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + 30
    while not ready and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if not ready:
        process.kill()
        raise RuntimeError("provider did not start:\n" + "".join(output)[-3000:])
    return NodeProvider(process, ready[0], output)


def start_oidc_provider(
    tmp: Path, keys: Keys, rp_url: str, *, require_dpop_nonce: bool, port: int = 0
) -> NodeProvider:
    """panva's oidc-provider configured like Singpass FAPI 2.0, on ``port`` (0: a free one)."""
    port = port or free_port()
    config = {
        "port": port,
        "client_id": CLIENT_ID,
        "redirect_uri": f"{rp_url}/auth/callback",
        "jwks_uri": f"{rp_url}/.well-known/jwks.json",
        "provider_jwks": {"keys": [dict(keys.provider.as_dict(private=True))]},
        "require_dpop_nonce": require_dpop_nonce,
        "accounts": {SUB: {"name": "TAN AH KOW", "uinfin": "S9812381D"}},
    }
    path = tmp / f"oidc-provider-{port}.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    return start_node([str(PROVIDERS / "oidc_provider.mjs"), str(path)], {})


def start_mockpass(rp_url: str, nric: str = "S8979373D") -> NodeProvider:
    """@opengovsg/mockpass (Singpass v2) on a free port, fetching our JWKS."""
    port = free_port()
    return start_node(
        [str(PROVIDERS / "mockpass.cjs"), str(port)],
        {
            "SP_RP_JWKS_ENDPOINT": f"{rp_url}/.well-known/jwks.json",
            "SHOW_LOGIN_PAGE": "false",
            "MOCKPASS_NRIC": nric,
        },
    )


# -- a browser --------------------------------------------------------------------------------


@dataclass
class Reply:
    """One response as the browser saw it."""

    url: str
    status: int
    headers: dict[str, str]
    set_cookies: list[str]
    body: bytes

    @property
    def location(self) -> str:
        """The absolute redirect target."""
        return urljoin(self.url, self.headers["location"])


class Browser:
    """Cookies per origin (``__Host-``/``Secure`` honoured as names only: tests run on
    http), no automatic redirects."""

    def __init__(self) -> None:
        self.jar: dict[str, dict[str, str]] = {}

    def cookies(self, url: str) -> dict[str, str]:
        """The cookies this browser holds for ``url``'s origin."""
        return self.jar.setdefault(urlsplit(url).netloc, {})

    def request(
        self,
        method: str,
        url: str,
        data: Mapping[str, str] | None = None,
        cookies: Mapping[str, str] | None = None,
    ) -> Reply:
        """One request; ``cookies`` overrides the jar for this request."""
        import http.client

        parts = urlsplit(url)
        jar = self.cookies(url) if cookies is None else dict(cookies)
        headers = {"User-Agent": "trellis-test-browser"}
        if jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(parts.netloc, timeout=30)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, target, body=body, headers=headers)
        response = connection.getresponse()
        raw_cookies = response.msg.get_all("Set-Cookie") or []
        reply = Reply(
            url,
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            raw_cookies,
            response.read(),
        )
        connection.close()
        if cookies is None:
            for cookie in raw_cookies:
                name, _, rest = cookie.partition("=")
                value = rest.split(";", 1)[0]
                attributes = rest.lower()
                if "max-age=0" in attributes or "expires=thu, 01 jan 1970" in attributes:
                    jar.pop(name, None)
                else:
                    jar[name] = value
        return reply

    def get(self, url: str, cookies: Mapping[str, str] | None = None) -> Reply:
        """GET without following redirects."""
        return self.request("GET", url, cookies=cookies)


def query_of(url: str) -> dict[str, str]:
    """The query parameters of ``url``."""
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def with_query(url: str, **changes: str | None) -> str:
    """``url`` with query parameters replaced (``None`` removes one)."""
    parts = urlsplit(url)
    values = dict(parse_qsl(parts.query, keep_blank_values=True))
    for key, value in changes.items():
        if value is None:
            values.pop(key, None)
        else:
            values[key] = value
    return parts._replace(query=urlencode(values)).geturl()


def provider_login(browser: Browser, authorize_url: str, sub: str = SUB) -> str:
    """Sign in at oidc-provider headlessly; the callback URL it redirects to."""
    reply = browser.get(authorize_url)
    assert reply.status in (302, 303), (reply.status, reply.body[:500])
    interaction = reply.location
    assert "/interaction/" in interaction, interaction
    browser.get(interaction)
    reply = browser.request("POST", interaction, {"prompt": "login", "login": sub})
    assert reply.status in (302, 303), (reply.status, reply.body[:500])
    url = reply.location
    for _ in range(5):
        if "/auth/callback" in url:
            return url
        reply = browser.get(url)
        assert reply.status in (302, 303), (reply.status, reply.body[:500])
        url = reply.location
    raise AssertionError(f"no callback after the login: {url}")
