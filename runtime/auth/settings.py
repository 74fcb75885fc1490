"""The auth functions' settings, from the variables the generator sets on each function.

``TRELLIS_AUTH`` is one JSON object (the blueprint's ``spec`` as resolved for the
environment, plus the public ``redirect_uri``); ``parameters`` in it names only the SSM
parameters *this* function reads, which is also exactly what its role may read. Parsed
once, at cold start; a missing or malformed value raises
:class:`~runtime.core.exceptions.SettingsError` naming the variable and the key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from runtime import contract
from runtime.core.exceptions import SettingsError

__all__ = ["PARAMETER_KEYS", "AuthSettings", "load_auth"]

PARAMETER_KEYS = contract.AUTH_PARAMETER_KEYS
FUNCTIONS = contract.AUTH_FLOW_FUNCTIONS
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
_KNOWN = contract.AUTH_SETTINGS_KEYS


@dataclass(frozen=True)
class AuthSettings:
    """One auth function's settings.

    ``parameters`` maps a key of :data:`PARAMETER_KEYS` to an SSM parameter name, only
    for the parameters this function reads.
    """

    blueprint: str
    environment: str
    function: str
    log_level: str
    profile: Literal["fapi2", "legacy"]
    issuer: str
    redirect_uri: str
    scopes: tuple[str, ...]
    authentication_context_type: str | None
    authentication_context_message: str | None
    acr_values: str | None
    allowed_return_paths: tuple[str, ...]
    default_return_path: str
    session_ttl_minutes: int
    parameters: Mapping[str, str]

    def parameter(self, key: str) -> str:
        """The SSM name of parameter ``key``; a :class:`SettingsError` if not wired."""
        name = self.parameters.get(key)
        if name is None:
            raise SettingsError(
                "TRELLIS_AUTH", f"parameters.{key} is required by the {self.function} function"
            )
        return name

    @property
    def myinfo_scopes(self) -> tuple[str, ...]:
        """Scopes beyond ``openid``: their claims come from the userinfo endpoint."""
        return tuple(s for s in self.scopes if s != "openid")


def _env(env: Mapping[str, str], name: str, allowed: tuple[str, ...] | None = None) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise SettingsError(name, "is not set; the generator sets it on every auth function")
    if allowed is not None and value not in allowed:
        raise SettingsError(name, f"{value!r} must be one of {', '.join(allowed)}")
    return value


def _text(data: Mapping[str, object], key: str, *, optional: bool = False) -> str | None:
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value:
        raise SettingsError("TRELLIS_AUTH", f"{key} must be a non-empty string, found {value!r}")
    return value


def _texts(data: Mapping[str, object], key: str) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise SettingsError("TRELLIS_AUTH", f"{key} must be a non-empty list of strings")
    return tuple(str(v) for v in value)


def load_auth(env: Mapping[str, str]) -> AuthSettings:
    """Read ``TRELLIS_AUTH`` and the common variables.

    Raises:
        SettingsError: a variable or key is missing, unknown or of the wrong shape.
    """
    raw = _env(env, contract.AUTH)
    try:
        data = json.loads(raw)
    except ValueError as error:
        raise SettingsError("TRELLIS_AUTH", f"is not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise SettingsError("TRELLIS_AUTH", "must be a JSON object")
    unknown = sorted(set(data) - set(_KNOWN))
    if unknown:
        raise SettingsError("TRELLIS_AUTH", f"{unknown[0]} is not a known key")
    profile = _text(data, "profile")
    if profile not in ("fapi2", "legacy"):
        raise SettingsError("TRELLIS_AUTH", f"profile {profile!r} must be fapi2 or legacy")
    parameters = data.get("parameters", {})
    if not isinstance(parameters, dict) or not all(
        k in PARAMETER_KEYS and isinstance(v, str) and v.startswith("/")
        for k, v in parameters.items()
    ):
        raise SettingsError(
            "TRELLIS_AUTH",
            f"parameters must map {', '.join(PARAMETER_KEYS)} to SSM names starting with /",
        )
    ttl = data.get("session_ttl_minutes")
    if isinstance(ttl, bool) or not isinstance(ttl, int) or not 1 <= ttl <= 720:
        raise SettingsError("TRELLIS_AUTH", f"session_ttl_minutes ({ttl!r}) must be 1..720")
    allowed = _texts(data, "allowed_return_paths")
    default = _text(data, "default_return_path", optional=True) or allowed[0]
    return AuthSettings(
        blueprint=_env(env, contract.BLUEPRINT),
        environment=_env(env, contract.ENV),
        function=_env(env, contract.FUNCTION, FUNCTIONS),
        log_level=_env(env, contract.LOG_LEVEL, LOG_LEVELS),
        profile="fapi2" if profile == "fapi2" else "legacy",
        issuer=str(_text(data, "issuer")),
        redirect_uri=str(_text(data, "redirect_uri")),
        scopes=_texts(data, "scopes"),
        authentication_context_type=_text(data, "authentication_context_type", optional=True),
        authentication_context_message=_text(data, "authentication_context_message", optional=True),
        acr_values=_text(data, "acr_values", optional=True),
        allowed_return_paths=allowed,
        default_return_path=default,
        session_ttl_minutes=ttl,
        parameters=dict(parameters),
    )
