"""The provider's discovery document and signing keys, cached for the container's life.

Discovery is read once per container (and again after an hour). Its ``issuer`` must be
exactly the configured issuer, or nothing from it is used. The provider's JWKS is
fetched on first use and refetched only when a token names a ``kid`` the cache lacks,
and then at most once a minute, so a flood of forged ``kid`` values cannot turn the
function into a request amplifier against the provider.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from joserfc.errors import JoseError
from joserfc.jwk import ECKey

from runtime.auth.exceptions import LoginRejected
from runtime.auth.http import Http

__all__ = ["Metadata", "Provider"]

DISCOVERY_TTL_SECONDS = 3600.0
JWKS_REFETCH_SECONDS = 60.0


@dataclass(frozen=True)
class Metadata:
    """The parts of the discovery document the flow uses."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    pushed_authorization_request_endpoint: str | None
    userinfo_endpoint: str | None
    iss_parameter_supported: bool

    @classmethod
    def parse(cls, data: dict[str, Any], expected_issuer: str) -> Metadata:
        """Check and keep the fields; ``discovery_invalid`` when one is wrong or missing."""
        if data.get("issuer") != expected_issuer:
            raise LoginRejected("discovery_issuer_mismatch", 502)

        def url(key: str, *, required: bool = True) -> str | None:
            value = data.get(key)
            if value is None and not required:
                return None
            if not isinstance(value, str) or not value.startswith(("https://", "http://")):
                raise LoginRejected("discovery_invalid", 502)
            return value

        return cls(
            issuer=expected_issuer,
            authorization_endpoint=str(url("authorization_endpoint")),
            token_endpoint=str(url("token_endpoint")),
            jwks_uri=str(url("jwks_uri")),
            pushed_authorization_request_endpoint=url(
                "pushed_authorization_request_endpoint", required=False
            ),
            userinfo_endpoint=url("userinfo_endpoint", required=False),
            iss_parameter_supported=data.get("authorization_response_iss_parameter_supported")
            is True,
        )


class Provider:
    """Discovery and signing keys of the issuer, over ``http``, cached per container."""

    def __init__(
        self, issuer: str, http: Http, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.issuer = issuer
        self._http = http
        self._clock = clock
        self._lock = threading.Lock()
        self._metadata: tuple[float, Metadata] | None = None
        self._keys: dict[str, ECKey] = {}
        self._keys_fetched_at: float | None = None

    def metadata(self) -> Metadata:
        """The discovery document (fetched at most once an hour)."""
        now = self._clock()
        with self._lock:
            if self._metadata is not None and now - self._metadata[0] < DISCOVERY_TTL_SECONDS:
                return self._metadata[1]
        url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
        response = self._http.request("GET", url, headers={"Accept": "application/json"})
        if response.status != 200:
            raise LoginRejected("discovery_unavailable", 502)
        metadata = Metadata.parse(response.json(), self.issuer)
        with self._lock:
            self._metadata = (now, metadata)
        return metadata

    def _fetch_keys(self) -> dict[str, ECKey]:
        response = self._http.request(
            "GET", self.metadata().jwks_uri, headers={"Accept": "application/json"}
        )
        if response.status != 200:
            raise LoginRejected("provider_jwks_unavailable", 502)
        keys: dict[str, ECKey] = {}
        entries = response.json().get("keys")
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict) or entry.get("kty") != "EC" or "d" in entry:
                continue
            if entry.get("use", "sig") != "sig" or not isinstance(entry.get("kid"), str):
                continue
            try:
                keys[entry["kid"]] = ECKey.import_key(entry)
            except (JoseError, ValueError):
                continue
        return keys

    def signing_key(self, kid: str) -> ECKey:
        """The provider's EC signing key ``kid``; ``…_kid_unknown`` when it has none."""
        with self._lock:
            key = self._keys.get(kid)
            fetched_at = self._keys_fetched_at
        if key is not None:
            return key
        now = self._clock()
        if fetched_at is not None and now - fetched_at < JWKS_REFETCH_SECONDS:
            raise LoginRejected("signing_kid_unknown")
        keys = self._fetch_keys()
        with self._lock:
            self._keys = keys
            self._keys_fetched_at = now
        if kid not in keys:
            raise LoginRejected("signing_kid_unknown")
        return keys[kid]
