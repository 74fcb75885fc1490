"""``kind: AuthFlow``: a Singpass login from stateless Lambdas chained by redirects."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from generator.blueprint.kinds.common import (
    Hostname,
    SsmParameterName,
    StrictModel,
    UrlPath,
    rule_error,
)
from generator.kinds.ingestion.blueprint import HttpUrl


class AuthFlowSpec(StrictModel):
    """``spec`` of ``kind: AuthFlow``."""

    provider: Literal["singpass"]
    profile: Literal["fapi2", "legacy"] = "fapi2"
    issuer: HttpUrl
    client_id_parameter: SsmParameterName
    signing_key_parameter: SsmParameterName
    encryption_key_parameter: SsmParameterName
    redirect_path: UrlPath = "/auth/callback"
    allowed_return_paths: list[UrlPath] = Field(min_length=1)
    scopes: list[str] = Field(default_factory=lambda: ["openid"], min_length=1)
    session_ttl_minutes: int = Field(default=15, ge=1, le=60)
    domain: Hostname | None = None

    @model_validator(mode="after")
    def _openid_scope(self) -> AuthFlowSpec:
        if "openid" not in self.scopes:
            raise rule_error(
                "scopes must include 'openid'",
                allowed="a list containing openid",
                hint="add openid to scopes",
                field="scopes",
            )
        repeated = next(
            (i for i, scope in enumerate(self.scopes) if scope in self.scopes[:i]), None
        )
        if repeated is not None:
            raise rule_error(
                f"scopes lists {self.scopes[repeated]!r} twice",
                allowed="each scope once",
                hint="remove the repeated scope",
                field=f"scopes.{repeated}",
            )
        if len({self.signing_key_parameter, self.encryption_key_parameter}) != 2:
            raise rule_error(
                "the signing and encryption keys must be different parameters",
                allowed="two distinct SSM parameters",
                hint="Singpass requires separate keys for signing and encryption",
                field="encryption_key_parameter",
            )
        return self


SPEC_MODEL = AuthFlowSpec
"""The model of this kind's ``spec`` (looked up by :func:`generator.kind_registry.spec_model`)."""
