"""The client assertion (``private_key_jwt``) that authenticates the relying party.

ES256, ``typ: JWT``, the signing key's ``kid``; ``iss`` and ``sub`` are the client id,
``aud`` is the provider's ``issuer`` exactly (FAPI 2.0 and Singpass both require it),
``exp`` one minute after ``iat`` and a unique ``jti``. A new assertion is made for every
request, including the retry after a ``use_dpop_nonce`` error: the provider has already
spent the first one's ``jti``.
"""

from __future__ import annotations

import secrets

from joserfc import jwt
from joserfc.jwk import ECKey

__all__ = ["ASSERTION_TYPE", "LIFETIME_SECONDS", "client_assertion"]

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
LIFETIME_SECONDS = 60


def client_assertion(key: ECKey, client_id: str, audience: str, *, now: int) -> str:
    """A signed client assertion for ``client_id``, addressed to ``audience``."""
    header = {"alg": "ES256", "typ": "JWT", "kid": key.kid}
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "iat": now,
        "exp": now + LIFETIME_SECONDS,
        "jti": secrets.token_urlsafe(32),
    }
    return jwt.encode(header, claims, key, algorithms=["ES256"])
