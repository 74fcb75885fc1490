"""The named resources of a Singpass login flow: what resolve gives the later stages."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.deployment import Function, ParameterRead


@dataclass(frozen=True)
class AuthFlowResources:
    """The named resources of a Singpass login flow."""

    api_name: str
    kms_alias: str
    login: Function
    callback: Function
    jwks: Function
    api_domain_parameter: str = ""
    """Where the stack publishes its API's domain (``/trellis/<env>/<name>/api-domain``)."""

    @property
    def functions(self) -> tuple[Function, ...]:
        """The flow's functions in redirect order."""
        return (self.login, self.callback, self.jwks)

    @property
    def parameters_written(self) -> tuple[str, ...]:
        """SSM parameters the stack publishes: its API's domain, for the sites it serves."""
        return (self.api_domain_parameter,) if self.api_domain_parameter else ()

    @property
    def parameters_read(self) -> tuple[ParameterRead, ...]:
        """SSM parameters the stack reads at plan time: none."""
        return ()
