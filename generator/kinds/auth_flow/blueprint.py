"""``kind: AuthFlow``: a Singpass login from stateless Lambdas chained by redirects."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from generator.blueprint.kinds.common import (
    Hostname,
    SsmParameterName,
    StrictModel,
    UrlPath,
    rule_error,
    string_schema,
)
from generator.kinds.ingestion.blueprint import HttpUrl
from runtime.contract.auth_flow import AuthProfile

CONTEXT_TYPE_RE = re.compile(r"^[A-Z][A-Z0-9_]{2,63}$")
SCOPE_RE = re.compile(r"^[a-z][a-z0-9._:-]{0,63}$")
ACR_RE = re.compile(r"^[A-Za-z0-9:._/-]{1,128}$")
KMS_KEY_ARN_RE = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[0-9a-f-]{36}$")
CALLBACK_PREFIX = "/auth/"


def _pattern(regex: re.Pattern[str], what: str, example: str) -> AfterValidator:
    def check(value: str) -> str:
        if not regex.match(value):
            raise rule_error(f"{value!r} is not {what}", allowed=f"{what}, e.g. {example}")
        return value

    return AfterValidator(check)


ContextType = Annotated[
    str,
    _pattern(
        CONTEXT_TYPE_RE, "a Singpass authentication context type", "APP_AUTHENTICATION_DEFAULT"
    ),
    string_schema(CONTEXT_TYPE_RE.pattern, "Singpass authentication_context_type"),
]
Scope = Annotated[
    str,
    _pattern(SCOPE_RE, "a scope name", "openid or name"),
    string_schema(SCOPE_RE.pattern, "OpenID / Myinfo scope"),
]
AcrValue = Annotated[
    str,
    _pattern(ACR_RE, "an acr value", "urn:singpass:authentication:loa:2"),
    string_schema(ACR_RE.pattern, "authentication context class reference"),
]
KmsKeyArn = Annotated[
    str,
    _pattern(KMS_KEY_ARN_RE, "a KMS key ARN", "arn:aws:kms:ap-southeast-1:111111111111:key/<uuid>"),
    string_schema(KMS_KEY_ARN_RE.pattern, "ARN of a customer managed KMS key"),
]


class Throttle(StrictModel):
    """``spec.throttle``: the HTTP API stage's request limits."""

    rate_per_second: int = Field(default=50, ge=1, le=10_000)
    burst: int = Field(default=100, ge=1, le=5_000)


class AuthFlowSpec(StrictModel):
    """``spec`` of ``kind: AuthFlow``."""

    provider: Literal["singpass"]
    profile: AuthProfile = "fapi2"
    issuer: HttpUrl
    client_id_parameter: SsmParameterName
    signing_key_parameter: SsmParameterName
    encryption_key_parameter: SsmParameterName
    state_key_parameter: SsmParameterName
    public_jwks_parameter: SsmParameterName
    parameters_kms_key_arn: KmsKeyArn | None = None
    authentication_context_type: ContextType | None = None
    authentication_context_message: str | None = Field(default=None, min_length=1, max_length=100)
    acr_values: list[AcrValue] = Field(default_factory=list)
    redirect_path: UrlPath = "/auth/callback"
    allowed_return_paths: list[UrlPath] = Field(min_length=1)
    scopes: list[Scope] = Field(default_factory=lambda: ["openid"], min_length=1)
    session_ttl_minutes: int = Field(default=15, ge=1, le=60)
    domain: Hostname
    throttle: Throttle = Field(default_factory=Throttle)

    @model_validator(mode="after")
    def _rules(self) -> AuthFlowSpec:
        self._check_scopes()
        self._check_parameters()
        self._check_profile()
        if not self.redirect_path.startswith(CALLBACK_PREFIX):
            raise rule_error(
                f"redirect_path {self.redirect_path!r} is not under {CALLBACK_PREFIX}",
                allowed=f"a path under {CALLBACK_PREFIX}, e.g. /auth/callback",
                hint="the portal routes only /auth/* to the login API",
                field="redirect_path",
            )
        message = self.authentication_context_message
        if message is not None and not message.isprintable():
            raise rule_error(
                "authentication_context_message has control characters",
                allowed="at most 100 printable characters",
                field="authentication_context_message",
            )
        return self

    def _check_scopes(self) -> None:
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

    def _check_parameters(self) -> None:
        fields = (
            "client_id_parameter",
            "signing_key_parameter",
            "encryption_key_parameter",
            "state_key_parameter",
            "public_jwks_parameter",
        )
        seen: dict[str, str] = {}
        for field in fields:
            value = getattr(self, field)
            if value in seen:
                raise rule_error(
                    f"{field} is the same parameter as {seen[value]} ({value})",
                    allowed="five distinct SSM parameters",
                    hint="Singpass requires separate signing and encryption keys, and the "
                    "state key ring and public JWKS each need their own parameter",
                    field=field,
                )
            seen[value] = field

    def _check_profile(self) -> None:
        if self.profile == "fapi2" and self.authentication_context_type is None:
            raise rule_error(
                "authentication_context_type is required with profile fapi2",
                allowed="a Singpass context type such as APP_AUTHENTICATION_DEFAULT",
                hint="Singpass requires it on every pushed authorization request of a Login app",
                field="authentication_context_type",
            )
        if self.profile == "legacy":
            for field in ("authentication_context_type", "authentication_context_message"):
                if getattr(self, field) is not None:
                    raise rule_error(
                        f"{field} is a FAPI 2.0 parameter; profile legacy cannot send it",
                        allowed="no value with profile legacy",
                        hint=f"remove {field} or use profile fapi2",
                        field=field,
                    )
            if self.scopes != ["openid"]:
                raise rule_error(
                    "Myinfo scopes need profile fapi2 (the legacy flow has no userinfo call)",
                    allowed="scopes: [openid] with profile legacy",
                    hint="use profile fapi2 for Myinfo scopes",
                    field="scopes",
                )


SPEC_MODEL = AuthFlowSpec
"""The model of this kind's ``spec`` (looked up by :func:`generator.kind_registry.spec_model`)."""
