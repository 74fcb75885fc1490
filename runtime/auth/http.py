"""HTTP to the provider with the standard library: 5 s timeouts, no redirects followed.

The Lambda bundle carries no HTTP library, and the provider's endpoints need nothing
urllib lacks. Every response (2xx or not) comes back as a :class:`Response`; only a
failure to get one at all (DNS, refused, timeout, TLS) raises
:class:`~runtime.auth.exceptions.LoginRejected` with reason ``provider_unreachable``.
Redirects are never followed: a provider that redirects a back-channel call is answered
with its 3xx response, which the callers treat as an error.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode

from runtime.auth.exceptions import LoginRejected

__all__ = ["Http", "Response", "UrllibHttp", "form"]

TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Response:
    """One HTTP response: status, headers with lower-case names, and the raw body."""

    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    def json(self) -> dict[str, Any]:
        """The body as a JSON object; ``provider_bad_response`` when it is not one."""
        try:
            value = json.loads(self.body)
        except ValueError:
            raise LoginRejected("provider_bad_response", 502) from None
        if not isinstance(value, dict):
            raise LoginRejected("provider_bad_response", 502)
        return value


class Http(Protocol):
    """What the flow needs from an HTTP client (tests wrap it to tamper with responses)."""

    def request(
        self, method: str, url: str, *, headers: Mapping[str, str], body: bytes | None = None
    ) -> Response:
        """Send one request and return the response, whatever its status."""
        ...


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class UrllibHttp:
    """:class:`Http` over urllib with :data:`TIMEOUT_SECONDS` and no redirects."""

    def __init__(self, timeout: float = TIMEOUT_SECONDS) -> None:
        self.timeout = timeout
        self._opener = urllib.request.build_opener(_NoRedirects)

    def request(
        self, method: str, url: str, *, headers: Mapping[str, str], body: bytes | None = None
    ) -> Response:
        """Send the request; ``provider_unreachable`` when no response came back."""
        if not url.startswith(("https://", "http://")):
            raise LoginRejected("provider_bad_url", 502)
        request = urllib.request.Request(url, data=body, method=method, headers=dict(headers))  # noqa: S310 - scheme checked above
        try:
            with self._opener.open(request, timeout=self.timeout) as reply:
                return Response(
                    reply.status, reply.read(), {k.lower(): v for k, v in reply.headers.items()}
                )
        except urllib.error.HTTPError as error:
            with error:
                return Response(
                    error.code, error.read(), {k.lower(): v for k, v in error.headers.items()}
                )
        except (OSError, ValueError):
            raise LoginRejected("provider_unreachable", 502) from None


def form(values: Mapping[str, str | None]) -> bytes:
    """``application/x-www-form-urlencoded`` body of the values that are not ``None``."""
    return urlencode({k: v for k, v in values.items() if v is not None}).encode("ascii")
