"""The auth functions' settings, from the variables the generator sets on each function.

The shape is the contract's :class:`~runtime.contract.auth_flow.AuthFunctionSettings`
(``TRELLIS_AUTH`` is its ``flow``: the blueprint's ``spec`` as resolved for the
environment, plus the public ``redirect_uri``), defined once and written by the
generator through the same codec. Parsed once, at cold start; a missing or malformed
value raises :class:`~runtime.core.exceptions.SettingsError` naming the variable and the
key.
"""

from __future__ import annotations

from collections.abc import Mapping

from runtime import contract
from runtime.contract.auth_flow import AuthFunctionSettings
from runtime.contract.environment import from_environment

__all__ = ["PARAMETER_KEYS", "AuthSettings", "load_auth"]

PARAMETER_KEYS = contract.AUTH_PARAMETER_KEYS

AuthSettings = AuthFunctionSettings
"""One auth function's settings (the contract's shape; ``flow`` is ``TRELLIS_AUTH``)."""


def load_auth(env: Mapping[str, str]) -> AuthSettings:
    """Read ``TRELLIS_AUTH`` and the common variables.

    Raises:
        SettingsError: a variable or key is missing, unknown or of the wrong shape.
    """
    return from_environment(AuthFunctionSettings, env)
