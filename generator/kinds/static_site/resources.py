"""The named resources of a static site: what resolve gives the later stages."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.deployment import Function


@dataclass(frozen=True)
class StaticSiteResources:
    """The named resources of a static site."""

    bucket: str
    log_bucket: str
    kms_alias: str
    waf_enabled: bool
    auth_api_name: str | None

    @property
    def functions(self) -> tuple[Function, ...]:
        """A static site runs no functions."""
        return ()
