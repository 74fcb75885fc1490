"""Authenticators: secrets from SSM (moto), OAuth2 client credentials from oidc-provider."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator

import boto3
import pytest

from runtime.contract.ingestion_source import ApiKeyQueryAuth, BasicAuth, OAuth2ClientCredentials
from runtime.core.retry import Retrier
from runtime.core.secret_store import SecretStore
from runtime.core.settings import ApiKeyAuth, BearerAuth, RetryPolicy
from runtime.ingest.auth import (
    OAuth2ClientCredentialsAuthenticator,
    TokenEndpointError,
    TokenResponse,
    authenticator_for,
)
from tests.runtime.oauth2_server import (
    BASIC_CLIENT,
    POST_CLIENT,
    SCOPE,
    AuthorizationServer,
    start_authorization_server,
)

PREFIX = "/tickets/test"


@pytest.fixture(scope="module")
def authorization_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AuthorizationServer]:
    """oidc-provider on a free port with the client credentials grant."""
    server = start_authorization_server(tmp_path_factory.mktemp("oauth2"))
    yield server
    server.stop()


@pytest.fixture
def secrets(moto_endpoint: str) -> SecretStore:
    """A secret store over moto's SSM holding the test credentials."""
    ssm = boto3.client("ssm")
    values = {
        "token": "bearer-token-1",
        "key": "k3y",
        "user": "svc-ingest",
        "password": "pa:ss wörd",
        "basic-id": BASIC_CLIENT[0],
        "basic-secret": BASIC_CLIENT[1],
        "post-id": POST_CLIENT[0],
        "post-secret": POST_CLIENT[1],
        "wrong-secret": "not-the-secret",
    }
    for name, value in values.items():
        ssm.put_parameter(Name=f"{PREFIX}/{name}", Value=value, Type="SecureString", Overwrite=True)
    return SecretStore(ssm, Retrier(RetryPolicy(max_attempts=2, base_delay_ms=0, max_delay_ms=0)))


def applied(authenticator: object) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The headers and query an authenticator produces for a bare request."""
    headers: dict[str, str] = {}
    query: list[tuple[str, str]] = [("page", "1")]
    authenticator.apply(headers, query)  # type: ignore[attr-defined]
    return headers, query


def test_bearer_and_api_key_header(secrets: SecretStore) -> None:
    """Bearer and header API keys come from SSM and are named as secret headers."""
    bearer = authenticator_for(BearerAuth(f"{PREFIX}/token"), secrets)
    assert applied(bearer)[0] == {"Authorization": "Bearer bearer-token-1"}
    key = authenticator_for(ApiKeyAuth(f"{PREFIX}/key", "X-Api-Key"), secrets)
    assert applied(key)[0] == {"X-Api-Key": "k3y"}
    assert key is not None and key.secret_headers == {"x-api-key"}


def test_api_key_in_the_query_replaces_any_value(secrets: SecretStore) -> None:
    """The key goes in the query string once, under its parameter name, marked secret."""
    key = authenticator_for(ApiKeyQueryAuth(f"{PREFIX}/key", "api_key"), secrets)
    headers: dict[str, str] = {}
    query = [("api_key", "forged"), ("page", "1")]
    assert key is not None
    key.apply(headers, query)
    assert (headers, query) == ({}, [("page", "1"), ("api_key", "k3y")])
    assert key.secret_query == {"api_key"}


def test_basic_auth_encodes_username_and_password(secrets: SecretStore) -> None:
    """HTTP basic carries base64(username:password) with the password's own characters."""
    basic = authenticator_for(BasicAuth(f"{PREFIX}/user", f"{PREFIX}/password"), secrets)
    value = applied(basic)[0]["Authorization"]
    assert value.startswith("Basic ")
    assert base64.b64decode(value[6:]).decode() == "svc-ingest:pa:ss wörd"


@pytest.mark.parametrize("method", ["basic", "post"])
def test_oauth2_token_from_a_real_authorization_server(
    authorization_server: AuthorizationServer, secrets: SecretStore, method: str
) -> None:
    """Both client authentications get a token the server's introspection calls active."""
    settings = OAuth2ClientCredentials(
        token_url=authorization_server.token_url,
        client_id_parameter=f"{PREFIX}/{method}-id",
        client_secret_parameter=f"{PREFIX}/{method}-secret",
        scopes=(SCOPE,),
        client_auth=method,  # type: ignore[arg-type]
    )
    auth = authenticator_for(settings, secrets)
    assert isinstance(auth, OAuth2ClientCredentialsAuthenticator)
    token = applied(auth)[0]["Authorization"].removeprefix("Bearer ")
    assert authorization_server.introspect(token)
    assert applied(auth)[0]["Authorization"] == f"Bearer {token}"  # cached
    assert auth.tokens_fetched == 1
    assert auth.refresh() is True
    renewed = applied(auth)[0]["Authorization"].removeprefix("Bearer ")
    assert renewed != token and authorization_server.introspect(renewed)
    assert auth.tokens_fetched == 2


def test_oauth2_refusal_names_the_error_code_but_no_secret(
    authorization_server: AuthorizationServer, secrets: SecretStore
) -> None:
    """A wrong client secret fails with the OAuth2 error code, never the secret or body."""
    settings = OAuth2ClientCredentials(
        token_url=authorization_server.token_url,
        client_id_parameter=f"{PREFIX}/basic-id",
        client_secret_parameter=f"{PREFIX}/wrong-secret",
        scopes=(SCOPE,),
        client_auth="basic",
    )
    auth = authenticator_for(settings, secrets)
    with pytest.raises(TokenEndpointError) as caught:
        applied(auth)
    assert "HTTP 401 (invalid_client)" in str(caught.value)
    assert caught.value.retryable is False
    assert "not-the-secret" not in str(caught.value) and "not-the-secret" not in repr(auth)


class _Endpoint:
    """A token endpoint stand-in for timing rules: counts requests, answers a lifetime."""

    def __init__(self, lifetime: object = 600, status: int = 200) -> None:
        self.calls = 0
        self.lifetime = lifetime
        self.status = status
        self.lock = threading.Lock()

    def __call__(
        self, url: str, body: bytes, headers: dict[str, str], timeout: float
    ) -> TokenResponse:
        with self.lock:
            self.calls += 1
            number = self.calls
        if self.status != 200:
            return TokenResponse(
                self.status, b'{"error":"temporarily_unavailable","error_description":"x"}'
            )
        payload = (
            f'{{"access_token":"t{number}","token_type":"bearer","expires_in":{self.lifetime}}}'
        )
        return TokenResponse(200, payload.encode())


def _oauth(
    secrets: SecretStore, endpoint: _Endpoint, clock: list[float]
) -> OAuth2ClientCredentialsAuthenticator:
    settings = OAuth2ClientCredentials(
        "https://auth.example.com/token",
        f"{PREFIX}/basic-id",
        f"{PREFIX}/basic-secret",
        (),
        "basic",
    )
    return OAuth2ClientCredentialsAuthenticator(
        settings, secrets, post=endpoint, clock=lambda: clock[0]
    )


def test_the_token_is_refreshed_shortly_before_it_expires(secrets: SecretStore) -> None:
    """A 600 s token is reused for 540 s and replaced from then on (a minute early)."""
    endpoint, clock = _Endpoint(600), [1000.0]
    auth = _oauth(secrets, endpoint, clock)
    assert auth.token() == "t1"
    clock[0] += 539
    assert auth.token() == "t1"
    clock[0] += 1
    assert auth.token() == "t2"
    short = _Endpoint(30)
    brief = _oauth(secrets, short, clock)
    brief.token()
    clock[0] += 27  # a tenth of 30 s early
    assert brief.token() == "t2"


def test_concurrent_workers_share_one_token_request(secrets: SecretStore) -> None:
    """Sixteen threads asking at once cause one request to the token endpoint."""
    endpoint, clock = _Endpoint(), [0.0]
    auth = _oauth(secrets, endpoint, clock)
    tokens: list[str] = []
    threads = [threading.Thread(target=lambda: tokens.append(auth.token())) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert tokens == ["t1"] * 16 and endpoint.calls == 1


def test_token_endpoint_errors_are_classified(secrets: SecretStore) -> None:
    """A 503 is retryable, a token without expires_in is kept five minutes."""
    failing = _oauth(secrets, _Endpoint(status=503), [0.0])
    with pytest.raises(TokenEndpointError, match=r"HTTP 503 \(temporarily_unavailable\)") as caught:
        failing.token()
    assert caught.value.retryable is True
    clock = [0.0]
    endless = _oauth(secrets, _Endpoint(lifetime='"soon"'), clock)
    assert endless.token() == "t1"
    clock[0] += 269
    assert endless.token() == "t1"
    clock[0] += 1
    assert endless.token() == "t2"
