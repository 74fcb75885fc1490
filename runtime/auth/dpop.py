"""DPoP (RFC 9449) proofs: a fresh P-256 key per login, one proof per request.

The key is created at login, carried to the callback inside the sealed state cookie, and
used for the pushed authorization request, the token request and the userinfo call, so
the provider binds the code and the access token to it. A proof is an ES256 JWT typed
``dpop+jwt`` with the public key in its header and ``jti htm htu iat exp`` (``exp`` two
minutes after ``iat``), plus ``nonce`` when the server asked for one and ``ath`` (the
access token's SHA-256) when it accompanies one.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from joserfc import jwt
from joserfc.jwk import ECKey

__all__ = ["LIFETIME_SECONDS", "export_key", "import_key", "new_key", "proof"]

LIFETIME_SECONDS = 120


def new_key() -> ECKey:
    """A new P-256 private key for one login."""
    return ECKey.generate_key("P-256", private=True)


def export_key(key: ECKey) -> dict[str, Any]:
    """The private key as a JWK dict (it travels only inside the sealed state cookie)."""
    return dict(key.as_dict(private=True))


def import_key(data: dict[str, Any]) -> ECKey:
    """The key :func:`export_key` produced."""
    return ECKey.import_key(data)


def _htu(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def proof(
    key: ECKey,
    method: str,
    url: str,
    *,
    now: int,
    nonce: str | None = None,
    access_token: str | None = None,
) -> str:
    """A DPoP proof for ``method url`` signed with ``key``."""
    public = {k: v for k, v in key.as_dict(private=False).items() if k in ("kty", "crv", "x", "y")}
    claims: dict[str, Any] = {
        "jti": secrets.token_urlsafe(32),
        "htm": method,
        "htu": _htu(url),
        "iat": now,
        "exp": now + LIFETIME_SECONDS,
    }
    if nonce is not None:
        claims["nonce"] = nonce
    if access_token is not None:
        digest = hashlib.sha256(access_token.encode("ascii")).digest()
        claims["ath"] = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    header = {"typ": "dpop+jwt", "alg": "ES256", "jwk": public}
    return jwt.encode(header, claims, key, algorithms=["ES256"])
