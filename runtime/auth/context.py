"""Everything one auth function needs, built once per container from its environment.

:class:`AuthContext` holds the settings, the secret store (SSM, cached five minutes so a
rotated key is picked up), the HTTP client and the provider cache. Tests and the local
adapter build it directly with their own HTTP client and clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from joserfc.jwk import ECKey

from runtime.auth.http import Http, UrllibHttp
from runtime.auth.keys import private_keys, public_jwks
from runtime.auth.provider import Provider
from runtime.auth.seal import KeyRing
from runtime.auth.settings import AuthSettings, load_auth
from runtime.core import logs
from runtime.core.aws import client
from runtime.core.retry import Retrier
from runtime.core.secret_store import SecretStore
from runtime.core.settings import RetryPolicy

__all__ = ["AuthContext", "SecretReader", "from_environment"]


class SecretReader(Protocol):
    """What keys are read through (:class:`~runtime.core.secret_store.SecretStore`)."""

    def get(self, name: str) -> str:
        """The decrypted value of parameter ``name``."""
        ...


@dataclass
class AuthContext:
    """One function's settings and collaborators; methods read keys on demand."""

    settings: AuthSettings
    secrets: SecretReader
    http: Http
    clock: Callable[[], float] = time.time
    provider: Provider = field(init=False)

    def __post_init__(self) -> None:
        self.provider = Provider(self.settings.flow.issuer, self.http)

    def now(self) -> int:
        """Seconds since the epoch, as JWT claims carry them."""
        return int(self.clock())

    def _get(self, key: str) -> str:
        return self.secrets.get(self.settings.parameter(key))

    def client_id(self) -> str:
        """The client id Singpass issued (a String parameter)."""
        return self._get("client_id").strip()

    def signing_key(self) -> ECKey:
        """The key client assertions are signed with (the first of the parameter)."""
        keys = private_keys(self._get("signing_key"), self.settings.parameter("signing_key"), "sig")
        return next(iter(keys.values()))

    def decryption_keys(self) -> Mapping[str, ECKey]:
        """The relying party's encryption keys by ``kid`` (the provider picks one)."""
        name = self.settings.parameter("encryption_key")
        return private_keys(self._get("encryption_key"), name, "enc")

    def state_ring(self) -> KeyRing:
        """The key ring the cookies are sealed with."""
        return KeyRing.parse(self._get("state_key"))

    def public_jwks(self) -> dict[str, Any]:
        """The public JWKS to serve at ``/.well-known/jwks.json``."""
        return public_jwks(self._get("public_jwks"), self.settings.parameter("public_jwks"))


def from_environment(env: Mapping[str, str], http: Http | None = None) -> AuthContext:
    """The context of the function the environment describes (at cold start).

    Raises:
        SettingsError: a variable is missing or malformed.
    """
    settings = load_auth(env)
    logs.configure(
        level=settings.log_level,
        blueprint=settings.blueprint,
        environment=settings.environment,
        function=settings.function,
    )
    retrier = Retrier(RetryPolicy(max_attempts=3, base_delay_ms=100, max_delay_ms=1000))
    secrets = SecretStore(client("ssm", read_timeout=5), retrier)
    return AuthContext(settings=settings, secrets=secrets, http=http or UrllibHttp())
