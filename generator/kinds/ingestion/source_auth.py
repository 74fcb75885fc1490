"""``spec.source.http.auth``: exactly one way to authenticate to the source.

Every secret is an SSM parameter name; the runtime reads it (``runtime.ingest.auth``)
and the generator grants exactly these parameters (``SourceAuth.parameters``). The
method names are the contract's (:data:`runtime.contract.ingestion_source.AUTH_METHODS`).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from generator.blueprint.kinds.common import HeaderName, SsmParameterName, StrictModel, rule_error
from generator.kinds.ingestion.source_values import HttpUrl, ParamName, Scope
from runtime.contract.ingestion_source import AUTH_METHODS, ClientAuth


class ApiKeyParameter(StrictModel):
    """An API key read from SSM, sent in a header (default ``X-Api-Key``) or the query."""

    name: SsmParameterName
    header: HeaderName | None = Field(
        default=None, description="Header that carries the key; X-Api-Key unless query is set."
    )
    query: ParamName | None = Field(
        default=None, description="Query parameter that carries the key instead of a header."
    )

    @model_validator(mode="before")
    @classmethod
    def _default_header(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("header") is None and data.get("query") is None:
            return {**data, "header": "X-Api-Key"}
        return data

    @model_validator(mode="after")
    def _one_place(self) -> ApiKeyParameter:
        if self.header is not None and self.query is not None:
            raise rule_error(
                "the API key goes either in a header or in the query string, not both",
                allowed="header: X-Api-Key or query: api_key",
                field="query",
            )
        return self


class BasicAuth(StrictModel):
    """HTTP basic authentication with the username and password read from SSM."""

    username_parameter: SsmParameterName
    password_parameter: SsmParameterName


class OAuth2ClientCredentials(StrictModel):
    """OAuth2 client credentials grant (RFC 6749 4.4): a token from ``token_url``.

    The client id and secret are read from SSM; the token is cached for the life of the
    function's container and fetched again shortly before it expires or when the source
    answers 401.
    """

    token_url: HttpUrl
    client_id_parameter: SsmParameterName
    client_secret_parameter: SsmParameterName
    scopes: list[Scope] = Field(default_factory=list)
    client_auth: ClientAuth = Field(
        default="basic",
        description="client_secret_basic (Authorization header) or client_secret_post (form).",
    )


class SourceAuth(StrictModel):
    """Exactly one way to authenticate to the source."""

    bearer_token_parameter: SsmParameterName | None = None
    api_key_parameter: ApiKeyParameter | None = None
    basic: BasicAuth | None = None
    oauth2_client_credentials: OAuth2ClientCredentials | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> SourceAuth:
        chosen = [n for n in AUTH_METHODS if getattr(self, n) is not None]
        if len(chosen) != 1:
            raise rule_error(
                "auth needs exactly one method" + (f", found {chosen}" if chosen else ""),
                allowed=", ".join(AUTH_METHODS),
                hint="remove auth entirely for a public source",
            )
        return self

    @property
    def parameters(self) -> tuple[str, ...]:
        """Every SSM parameter this method reads, in a stable order."""
        if self.bearer_token_parameter is not None:
            return (self.bearer_token_parameter,)
        if self.api_key_parameter is not None:
            return (self.api_key_parameter.name,)
        if self.basic is not None:
            return (self.basic.username_parameter, self.basic.password_parameter)
        assert self.oauth2_client_credentials is not None
        oauth = self.oauth2_client_credentials
        return (oauth.client_id_parameter, oauth.client_secret_parameter)
