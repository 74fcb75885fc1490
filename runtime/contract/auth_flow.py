"""The settings of a login flow's functions: ``TRELLIS_AUTH`` and the common variables.

The generator builds :class:`AuthFunctionSettings` for each of the five functions
(:mod:`generator.kinds.auth_flow.resolve`) and writes it with
:func:`~runtime.contract.environment.to_environment`; the functions read it back at cold
start with :func:`~runtime.contract.environment.from_environment`
(:func:`runtime.auth.settings.load_auth`). ``parameters`` names only the SSM parameters
*this* function reads, which is also exactly what its role may read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Literal

from runtime.contract import (
    AUTH,
    AUTH_PARAMETER_KEYS,
    BLUEPRINT,
    ENV,
    FUNCTION,
    LOG_LEVEL,
)
from runtime.contract.codec import keyword_shape, setting, shape
from runtime.contract.common import LogLevel
from runtime.core.exceptions import SettingsError

__all__ = ["AuthFlowSettings", "AuthFunction", "AuthFunctionSettings", "AuthProfile"]

AuthProfile = Literal["fapi2", "legacy"]
"""Singpass's FAPI 2.0 profile (PAR, DPoP, private_key_jwt) or the legacy code flow."""
AuthFunction = Literal["login", "callback", "session", "logout", "jwks"]
"""A login flow's functions, in redirect order (:data:`runtime.contract.AUTH_FLOW_FUNCTIONS`)."""


def _non_empty(value: str | tuple[str, ...]) -> str | None:
    return None if value and all(value) else "must not be empty"


@keyword_shape
class AuthFlowSettings:
    """``TRELLIS_AUTH``: the blueprint's AuthFlow ``spec`` as one function reads it."""

    profile: AuthProfile
    issuer: str = setting(check=_non_empty)
    redirect_uri: str = setting(check=_non_empty)
    scopes: tuple[str, ...] = setting(check=_non_empty)
    authentication_context_type: str | None = None
    authentication_context_message: str | None = None
    acr_values: str | None = None
    """The ``acr_values`` request parameter: the blueprint's list joined by spaces."""
    allowed_return_paths: tuple[str, ...] = setting(check=_non_empty)
    default_return_path: str | None = None
    """Where a login without ``return_to`` lands; the first allowed path when absent."""
    session_ttl_minutes: int = setting(low=1, high=720)
    parameters: Mapping[str, str]
    """SSM parameter names by :data:`~runtime.contract.AUTH_PARAMETER_KEYS` key."""

    def problems(self) -> Iterator[tuple[str, str]]:
        """A parameter key the flow does not know, or a name that is no SSM path."""
        if not all(
            key in AUTH_PARAMETER_KEYS and name.startswith("/")
            for key, name in self.parameters.items()
        ):
            keys = ", ".join(AUTH_PARAMETER_KEYS)
            yield "parameters", f"must map {keys} to SSM names starting with /"

    @property
    def landing_path(self) -> str:
        """``default_return_path``, or the first allowed path when it is not set."""
        return self.default_return_path or self.allowed_return_paths[0]

    @property
    def myinfo_scopes(self) -> tuple[str, ...]:
        """Scopes beyond ``openid``: their claims come from the userinfo endpoint."""
        return tuple(s for s in self.scopes if s != "openid")


@shape
class AuthFunctionSettings:
    """One login-flow function's environment."""

    blueprint: str = setting(env=BLUEPRINT)
    environment: str = setting(env=ENV)
    function: AuthFunction = setting(env=FUNCTION)
    log_level: LogLevel = setting(env=LOG_LEVEL)
    flow: AuthFlowSettings = setting(env=AUTH)

    def parameter(self, key: str) -> str:
        """The SSM name of parameter ``key``.

        Raises:
            SettingsError: the generator did not wire ``key`` to this function.
        """
        name = self.flow.parameters.get(key)
        if name is None:
            needed = f"parameters.{key} is required by the {self.function} function"
            raise SettingsError(AUTH, needed)
        return name
