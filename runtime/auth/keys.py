"""The relying party's keys, read from SSM SecureStrings through the secret store.

- client id: a String parameter (the id Singpass issued);
- signing key: a private EC P-256 JWK (or a JWKS of them) with ``kid``, used for client
  assertions; its public half is in the public JWKS Singpass fetches;
- encryption key(s): private EC P-256 JWKs with ``kid`` and ``use: enc``; the provider
  encrypts to the public half, and the id_token's ``kid`` picks which one decrypts;
- state key ring: see :mod:`runtime.auth.seal`;
- public JWKS: public keys only; :func:`public_jwks` refuses a set that holds any private
  member, so a mis-pasted private key is never served.

A malformed parameter raises :class:`KeyMaterialError` whose message names the
parameter and never repeats its value.
"""

from __future__ import annotations

import json
from typing import Any

from joserfc.errors import JoseError
from joserfc.jwk import ECKey

__all__ = ["KeyMaterialError", "private_keys", "public_jwks"]

_PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "k", "oth"})


class KeyMaterialError(ValueError):
    """A key parameter is malformed (a deployment mistake); the message has no key bytes."""


def _entries(text: str, parameter: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except ValueError:
        raise KeyMaterialError(f"{parameter} is not JSON") from None
    entries = data.get("keys") if isinstance(data, dict) and "keys" in data else [data]
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise KeyMaterialError(f"{parameter} must be a JWK or a JWKS")
    return entries


def private_keys(text: str, parameter: str, use: str) -> dict[str, ECKey]:
    """The private EC P-256 keys of a JWK or JWKS parameter, by ``kid``."""
    keys: dict[str, ECKey] = {}
    for entry in _entries(text, parameter):
        kid = entry.get("kid")
        if entry.get("kty") != "EC" or entry.get("crv") != "P-256" or "d" not in entry:
            raise KeyMaterialError(f"{parameter} must hold private EC P-256 keys")
        if not isinstance(kid, str) or not kid or entry.get("use", use) != use:
            raise KeyMaterialError(f"{parameter}: every key needs a kid and use {use!r}")
        try:
            keys[kid] = ECKey.import_key(entry)
        except (JoseError, ValueError):
            raise KeyMaterialError(f"{parameter}: key {kid!r} does not import") from None
    if not keys:
        raise KeyMaterialError(f"{parameter} holds no key")
    return keys


def public_jwks(text: str, parameter: str) -> dict[str, Any]:
    """The public JWKS to serve; :class:`KeyMaterialError` if any key is private."""
    entries = _entries(text, parameter)
    for entry in entries:
        if _PRIVATE_MEMBERS & set(entry):
            raise KeyMaterialError(f"{parameter} holds a private key; it must be public only")
        if not isinstance(entry.get("kid"), str):
            raise KeyMaterialError(f"{parameter}: every key needs a kid")
    return {"keys": entries}
