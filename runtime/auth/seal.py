"""Sealed cookies: JSON claims in a JWE (``dir``/``A256GCM``) under a ``kid``-tagged key ring.

The key ring is one SSM SecureString::

    {"current": "2026-12", "keys": {"2026-12": "<base64url of 32 random bytes>",
                                    "2026-06": "<the previous key, still accepted>"}}

:func:`seal` encrypts with the ``current`` key and names it in the header's ``kid``;
:func:`unseal` accepts any key of the ring, so rotating is: add a key, make it current,
remove the old one after the longest cookie lifetime. The header's ``typ`` binds the
purpose (``trellis-auth`` for the state cookie, ``trellis-session`` for the session), so
one kind of cookie cannot be replayed as the other. Every failure raises
:class:`~runtime.auth.exceptions.LoginRejected` with a reason naming the cookie
(``state_cookie_…`` or ``session_cookie_…``).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from joserfc import jwe
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

from runtime.auth.exceptions import LoginRejected

__all__ = ["KeyRing", "KeyRingError", "seal", "unseal"]

_ALGORITHMS = ("dir", "A256GCM")
_REGISTRY = jwe.JWERegistry(algorithms=list(_ALGORITHMS))
#: How failures name each purpose's cookie in their reason (``state_cookie_expired``).
_NAMES = {"trellis-auth": "state", "trellis-session": "session"}


class KeyRingError(ValueError):
    """The key ring parameter is malformed (a deployment mistake, not a user's)."""


@dataclass(frozen=True)
class KeyRing:
    """Keys by ``kid`` and the one new cookies are sealed with."""

    current: str
    keys: Mapping[str, bytes]

    @classmethod
    def parse(cls, text: str) -> KeyRing:
        """Read the SecureString's JSON; :class:`KeyRingError` when it is malformed.

        Each key must decode (base64url) to exactly 32 bytes; ``current`` must be one of
        them. The error never repeats a key.
        """
        try:
            data = json.loads(text)
        except ValueError:
            raise KeyRingError("the state key ring is not JSON") from None
        if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
            raise KeyRingError('the state key ring must be {"current": kid, "keys": {kid: key}}')
        keys: dict[str, bytes] = {}
        for kid, value in data["keys"].items():
            try:
                raw = base64.urlsafe_b64decode(str(value) + "=" * (-len(str(value)) % 4))
            except (binascii.Error, ValueError):
                raise KeyRingError(f"state key {kid!r} is not base64url") from None
            if len(raw) != 32:
                raise KeyRingError(f"state key {kid!r} must be 32 bytes, found {len(raw)}")
            keys[str(kid)] = raw
        current = data.get("current")
        if current not in keys:
            raise KeyRingError(f"current ({current!r}) is not a kid of the key ring")
        return cls(current=str(current), keys=keys)


def seal(ring: KeyRing, purpose: str, claims: Mapping[str, Any]) -> str:
    """``claims`` as a compact JWE under the ring's current key, typed ``purpose``."""
    header = {"alg": "dir", "enc": "A256GCM", "kid": ring.current, "typ": purpose}
    payload = json.dumps(dict(claims), separators=(",", ":"), sort_keys=True)
    key = OctKey.import_key(ring.keys[ring.current])
    return jwe.encrypt_compact(header, payload, key, registry=_REGISTRY)


def _header(token: str, prefix: str) -> dict[str, Any]:
    try:
        part = token.split(".", 1)[0]
        header = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, binascii.Error):
        raise LoginRejected(f"{prefix}_cookie_malformed") from None
    if not isinstance(header, dict):
        raise LoginRejected(f"{prefix}_cookie_malformed")
    return header


def unseal(ring: KeyRing, purpose: str, token: str, *, now: float) -> dict[str, Any]:
    """The claims of a cookie sealed by :func:`seal`, checked for purpose and expiry.

    Raises :class:`LoginRejected` with ``<name>_cookie_malformed``, ``…_unknown_kid``,
    ``…_tampered`` (decryption failed: altered or sealed with another key),
    ``…_wrong_purpose`` or ``…_expired`` (``exp`` in the claims is past).
    """
    prefix = _NAMES.get(purpose, purpose)
    if token.count(".") != 4:
        raise LoginRejected(f"{prefix}_cookie_malformed")
    header = _header(token, prefix)
    if header.get("typ") != purpose:
        raise LoginRejected(f"{prefix}_cookie_wrong_purpose")
    kid = header.get("kid")
    if not isinstance(kid, str) or kid not in ring.keys:
        raise LoginRejected(f"{prefix}_cookie_unknown_kid")
    try:
        message = jwe.decrypt_compact(token, OctKey.import_key(ring.keys[kid]), registry=_REGISTRY)
        claims = json.loads(message.plaintext or b"")
    except (JoseError, ValueError):
        raise LoginRejected(f"{prefix}_cookie_tampered") from None
    if not isinstance(claims, dict):
        raise LoginRejected(f"{prefix}_cookie_tampered")
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or now >= exp:
        raise LoginRejected(f"{prefix}_cookie_expired")
    return claims
