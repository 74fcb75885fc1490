"""The named resources of a Singpass login flow: what resolve gives the later stages."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.deployment import Function


@dataclass(frozen=True)
class AuthFlowResources:
    """The named resources of a Singpass login flow."""

    api_name: str
    kms_alias: str
    login: Function
    callback: Function
    jwks: Function

    @property
    def functions(self) -> tuple[Function, ...]:
        """The flow's functions in redirect order."""
        return (self.login, self.callback, self.jwks)
