"""The named resources of a static site: what resolve gives the later stages."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.deployment import Function, ParameterRead


@dataclass(frozen=True)
class StaticSiteResources:
    """The named resources of a static site."""

    bucket: str
    log_bucket: str
    kms_alias: str
    waf_enabled: bool
    auth_api_name: str | None
    auth_api_parameter: ParameterRead | None = None
    """The SSM parameter holding the auth API's domain, when ``auth_flow`` is set."""

    @property
    def functions(self) -> tuple[Function, ...]:
        """A static site runs no functions."""
        return ()

    @property
    def parameters_written(self) -> tuple[str, ...]:
        """SSM parameters the stack publishes: none."""
        return ()

    @property
    def parameters_read(self) -> tuple[ParameterRead, ...]:
        """SSM parameters the stack reads at plan time: the auth API's domain."""
        return (self.auth_api_parameter,) if self.auth_api_parameter else ()
