"""Authenticators: how each request to the source proves who the pipeline is.

One small class per method of ``spec.source.http.auth``; each reads its secrets through
the :class:`~runtime.core.secret_store.SecretStore` (SSM SecureStrings, cached) and adds
them to a request's headers or query. Each also names the headers and query parameters
that carry a secret, so the HTTP source can drop them on a cross-origin redirect and keep
them out of logs.

:class:`OAuth2ClientCredentials` fetches an access token from the token endpoint (RFC
6749 4.4) with the client id and secret from SSM, and keeps it for the life of the
container: it is fetched again shortly before it expires (a tenth of its lifetime, at
most a minute, early) or when the source answers 401 (:meth:`Authenticator.refresh`).
Concurrent workers share one token and one token request. The token, the client secret
and the token endpoint's response body never appear in a log line or an error message;
errors name the endpoint, the status and the OAuth2 ``error`` code only.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode, urlsplit

from runtime.contract.ingestion_source import ApiKeyQueryAuth, BasicAuth, OAuth2ClientCredentials
from runtime.core.settings import ApiKeyAuth, BearerAuth

if TYPE_CHECKING:
    from runtime.core.secret_store import SecretStore

__all__ = [
    "ApiKeyHeaderAuthenticator",
    "ApiKeyQueryAuthenticator",
    "Authenticator",
    "BasicAuthenticator",
    "BearerAuthenticator",
    "OAuth2ClientCredentialsAuthenticator",
    "TokenEndpointError",
    "TokenResponse",
    "authenticator_for",
]

MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024
DEFAULT_TOKEN_SECONDS = 300.0
"""How long a token without ``expires_in`` is kept (a 401 still refreshes it sooner)."""


class TokenEndpointError(RuntimeError):
    """The token endpoint refused or failed; ``retryable`` for 429, 5xx and network errors."""

    def __init__(self, reason: str, *, retryable: bool) -> None:
        self.reason = reason
        self.retryable = retryable
        super().__init__(reason)


class Authenticator(ABC):
    """Adds credentials to a request."""

    #: Lower-case names of the headers that carry a secret.
    secret_headers: frozenset[str] = frozenset()
    #: Names of the query parameters that carry a secret.
    secret_query: frozenset[str] = frozenset()

    @abstractmethod
    def apply(self, headers: dict[str, str], query: list[tuple[str, str]]) -> None:
        """Add the credentials to ``headers`` or ``query`` (both changed in place)."""

    def refresh(self) -> bool:
        """Forget cached credentials after a 401; ``True`` if retrying may now succeed."""
        return False


class BearerAuthenticator(Authenticator):
    """``Authorization: Bearer <token>`` with the token from SSM."""

    secret_headers = frozenset({"authorization"})

    def __init__(self, settings: BearerAuth, secrets: SecretStore) -> None:
        self.settings = settings
        self.secrets = secrets

    def apply(self, headers: dict[str, str], query: list[tuple[str, str]]) -> None:
        """Set the Authorization header."""
        headers["Authorization"] = f"Bearer {self.secrets.get(self.settings.parameter)}"


class ApiKeyHeaderAuthenticator(Authenticator):
    """The API key from SSM in a header of the blueprint's choosing."""

    def __init__(self, settings: ApiKeyAuth, secrets: SecretStore) -> None:
        self.settings = settings
        self.secrets = secrets
        self.secret_headers = frozenset({settings.header.lower()})

    def apply(self, headers: dict[str, str], query: list[tuple[str, str]]) -> None:
        """Set the key's header."""
        headers[self.settings.header] = self.secrets.get(self.settings.parameter)


class ApiKeyQueryAuthenticator(Authenticator):
    """The API key from SSM as a query parameter (``?api_key=…``)."""

    def __init__(self, settings: ApiKeyQueryAuth, secrets: SecretStore) -> None:
        self.settings = settings
        self.secrets = secrets
        self.secret_query = frozenset({settings.query})

    def apply(self, headers: dict[str, str], query: list[tuple[str, str]]) -> None:
        """Replace any value of the key's parameter with the key."""
        query[:] = [(k, v) for k, v in query if k != self.settings.query]
        query.append((self.settings.query, self.secrets.get(self.settings.parameter)))


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


class BasicAuthenticator(Authenticator):
    """HTTP basic authentication (RFC 7617) with username and password from SSM."""

    secret_headers = frozenset({"authorization"})

    def __init__(self, settings: BasicAuth, secrets: SecretStore) -> None:
        self.settings = settings
        self.secrets = secrets

    def apply(self, headers: dict[str, str], query: list[tuple[str, str]]) -> None:
        """Set ``Authorization: Basic base64(username:password)``."""
        headers["Authorization"] = _basic(
            self.secrets.get(self.settings.username_parameter),
            self.secrets.get(self.settings.password_parameter),
        )


@dataclass(frozen=True)
class TokenResponse:
    """What the token endpoint answered: a status, headers and a body (bytes)."""

    status: int
    body: bytes


TokenPost = Callable[[str, bytes, dict[str, str], float], TokenResponse]
"""Sends a form POST: ``(url, body, headers, timeout) -> TokenResponse``."""


def urllib_post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> TokenResponse:
    """POST with the standard library; HTTP errors are answers, network errors raise.

    Redirects are not followed: a token endpoint that redirects is misconfigured, and
    following it would send the client secret to wherever it points.
    """
    import urllib.request  # deferred: only functions with OAuth2 sources need it
    from urllib.error import HTTPError

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(_NoRedirect())
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with opener.open(request, timeout=timeout) as response:
            return TokenResponse(response.status, response.read(MAX_TOKEN_RESPONSE_BYTES + 1))
    except HTTPError as error:
        return TokenResponse(error.code, error.read(MAX_TOKEN_RESPONSE_BYTES + 1))


class OAuth2ClientCredentialsAuthenticator(Authenticator):
    """A bearer token from the client credentials grant, cached and refreshed."""

    secret_headers = frozenset({"authorization"})

    def __init__(
        self,
        settings: OAuth2ClientCredentials,
        secrets: SecretStore,
        *,
        post: TokenPost = urllib_post,
        clock: Callable[[], float] = time.monotonic,
        timeout_seconds: float = 10.0,
    ) -> None:
        self.settings = settings
        self.secrets = secrets
        self._post = post
        self._clock = clock
        self._timeout = timeout_seconds
        self._lock = threading.Lock()
        self._token: str | None = None
        self._refresh_at = 0.0
        self.tokens_fetched = 0
        parts = urlsplit(settings.token_url)
        self._where = f"{parts.scheme}://{parts.netloc}{parts.path}"

    def __repr__(self) -> str:
        return f"OAuth2ClientCredentialsAuthenticator(token_url={self._where!r})"

    def apply(self, headers: dict[str, str], query: list[tuple[str, str]]) -> None:
        """Set ``Authorization: Bearer <token>``, fetching a token first if needed.

        Raises:
            TokenEndpointError: no token could be obtained.
        """
        headers["Authorization"] = f"Bearer {self.token()}"

    def refresh(self) -> bool:
        """Drop the cached token (the source said 401); the next request fetches one."""
        with self._lock:
            self._token = None
        return True

    def token(self) -> str:
        """The cached access token, or a new one when it is missing or about to expire."""
        with self._lock:
            if self._token is None or self._clock() >= self._refresh_at:
                self._token, lifetime = self._fetch()
                self.tokens_fetched += 1
                early = min(60.0, lifetime / 10)
                self._refresh_at = self._clock() + lifetime - early
            return self._token

    def _request(self) -> tuple[bytes, dict[str, str]]:
        s = self.settings
        client_id = self.secrets.get(s.client_id_parameter)
        client_secret = self.secrets.get(s.client_secret_parameter)
        form: list[tuple[str, str]] = [("grant_type", "client_credentials")]
        if s.scopes:
            form.append(("scope", " ".join(s.scopes)))
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            "User-Agent": "trellis-ingest/1",
        }
        if s.client_auth == "basic":  # RFC 6749 2.3.1: both form-encoded, then Basic
            headers["Authorization"] = _basic(
                quote(client_id, safe=""), quote(client_secret, safe="")
            )
        else:
            form += [("client_id", client_id), ("client_secret", client_secret)]
        return urlencode(form).encode("ascii"), headers

    def _fetch(self) -> tuple[str, float]:
        body, headers = self._request()
        try:
            answer = self._post(self.settings.token_url, body, headers, self._timeout)
        except OSError as error:
            raise TokenEndpointError(
                f"token endpoint {self._where} unreachable: {type(error).__name__}",
                retryable=True,
            ) from None
        if len(answer.body) > MAX_TOKEN_RESPONSE_BYTES:
            raise TokenEndpointError(
                f"token endpoint {self._where} answered over {MAX_TOKEN_RESPONSE_BYTES} bytes",
                retryable=False,
            )
        try:
            document = json.loads(answer.body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            document = None
        if answer.status != 200:
            code = document.get("error") if isinstance(document, dict) else None
            named = f" ({code})" if isinstance(code, str) and code.isprintable() else ""
            raise TokenEndpointError(
                f"token endpoint {self._where} answered HTTP {answer.status}{named[:80]}",
                retryable=answer.status == 429 or answer.status >= 500,
            )
        token = document.get("access_token") if isinstance(document, dict) else None
        kind = document.get("token_type", "") if isinstance(document, dict) else ""
        if not isinstance(token, str) or not token or str(kind).lower() != "bearer":
            raise TokenEndpointError(
                f"token endpoint {self._where} answered without a bearer access_token",
                retryable=False,
            )
        assert isinstance(document, dict)
        lifetime = document.get("expires_in")
        if isinstance(lifetime, str) and lifetime.isdigit():
            lifetime = int(lifetime)
        if isinstance(lifetime, bool) or not isinstance(lifetime, int | float) or lifetime <= 0:
            lifetime = DEFAULT_TOKEN_SECONDS
        return token, float(lifetime)


def authenticator_for(
    auth: BearerAuth | ApiKeyAuth | ApiKeyQueryAuth | BasicAuth | OAuth2ClientCredentials | None,
    secrets: SecretStore | None,
    *,
    timeout_seconds: float = 10.0,
) -> Authenticator | None:
    """The authenticator of a source's ``auth`` settings (``None`` for a public source).

    Raises:
        ValueError: ``auth`` is set but no secret store was given.
    """
    if auth is None:
        return None
    if secrets is None:
        raise ValueError("a source with auth needs a SecretStore")
    if isinstance(auth, BearerAuth):
        return BearerAuthenticator(auth, secrets)
    if isinstance(auth, ApiKeyAuth):
        return ApiKeyHeaderAuthenticator(auth, secrets)
    if isinstance(auth, ApiKeyQueryAuth):
        return ApiKeyQueryAuthenticator(auth, secrets)
    if isinstance(auth, BasicAuth):
        return BasicAuthenticator(auth, secrets)
    return OAuth2ClientCredentialsAuthenticator(auth, secrets, timeout_seconds=timeout_seconds)
