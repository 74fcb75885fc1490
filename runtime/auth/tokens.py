"""The provider's signed-then-encrypted tokens: the id_token and the userinfo response.

Order of checks (each failure a :class:`~runtime.auth.exceptions.LoginRejected` whose
reason starts with the token's name):

1. Shape: five parts (a JWE); a three-part JWS where encryption is required is refused
   (``…_not_encrypted``).
2. The JWE header's ``alg`` and ``enc`` against explicit allow-lists before any key is
   touched (``…_alg_not_allowed``, ``…_enc_not_allowed``); decryption with the relying
   party's encryption key named by ``kid`` (``…_decryption_failed``). ``iss``/``aud``
   replicated in the JWE header (RFC 7519 §5.3) are accepted and must equal the claims.
3. The inner JWS: ``alg`` must be ES256 (so ``none`` and HS256 keyed with the provider's
   public key are refused by name, ``…_alg_not_allowed``), verified with the provider's key
   named by ``kid`` (``…_signature_invalid``).
4. Claims: ``iss``, ``aud`` (and ``azp`` when ``aud`` lists several), ``exp``, ``iat``,
   ``nonce`` for the id_token; ``iss``, ``aud`` and ``sub`` for userinfo.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
from collections.abc import Mapping
from typing import Any

from joserfc import jwe, jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey
from joserfc.registry import HeaderParameter

from runtime.auth.exceptions import LoginRejected
from runtime.auth.provider import Provider

__all__ = [
    "ID_TOKEN_ALGORITHMS",
    "SIGNING_ALGORITHMS",
    "USERINFO_ALGORITHMS",
    "check_id_token_claims",
    "check_userinfo_claims",
    "open_token",
]

#: (allowed JWE ``alg``, allowed JWE ``enc``) of the id_token.
ID_TOKEN_ALGORITHMS = (frozenset({"ECDH-ES+A256KW"}), frozenset({"A256CBC-HS512"}))
#: (allowed JWE ``alg``, allowed JWE ``enc``) of the userinfo response (Singpass: A256GCM).
USERINFO_ALGORITHMS = (frozenset({"ECDH-ES+A256KW"}), frozenset({"A256GCM"}))
SIGNING_ALGORITHMS = frozenset({"ES256"})
#: Tolerated clock difference with the provider, in seconds.
LEEWAY_SECONDS = 60
#: An id_token issued longer ago than this is refused even if not yet expired.
MAX_AGE_SECONDS = 600

_REPLICATED = {
    "iss": HeaderParameter("Issuer replicated from the claims", "str"),
    "aud": HeaderParameter("Audience replicated from the claims", "str"),
}


def _header(token: str, name: str) -> dict[str, Any]:
    part = token.split(".", 1)[0]
    try:
        header = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, binascii.Error):
        raise LoginRejected(f"{name}_malformed") from None
    if not isinstance(header, dict):
        raise LoginRejected(f"{name}_malformed")
    return header


def _decrypt(
    token: str,
    name: str,
    keys: Mapping[str, ECKey],
    algorithms: tuple[frozenset[str], frozenset[str]],
) -> tuple[dict[str, Any], str]:
    if token.count(".") == 2:
        raise LoginRejected(f"{name}_not_encrypted")
    if token.count(".") != 4:
        raise LoginRejected(f"{name}_malformed")
    header = _header(token, name)
    allowed_alg, allowed_enc = algorithms
    if header.get("alg") not in allowed_alg:
        raise LoginRejected(f"{name}_alg_not_allowed")
    if header.get("enc") not in allowed_enc:
        raise LoginRejected(f"{name}_enc_not_allowed")
    if "zip" in header:
        raise LoginRejected(f"{name}_compressed")
    kid = header.get("kid")
    key = keys.get(kid) if isinstance(kid, str) else None
    if key is None:
        raise LoginRejected(f"{name}_encryption_kid_unknown")
    registry = jwe.JWERegistry(
        header_registry=_REPLICATED,
        algorithms=[*allowed_alg, *allowed_enc],
    )
    try:
        message = jwe.decrypt_compact(token, key, registry=registry)
    except (JoseError, ValueError):
        raise LoginRejected(f"{name}_decryption_failed") from None
    return header, (message.plaintext or b"").decode("utf-8", "replace").strip()


def _verify(inner: str, name: str, provider: Provider) -> dict[str, Any]:
    if inner.count(".") != 2:
        raise LoginRejected(f"{name}_malformed")
    header = _header(inner, name)
    if header.get("alg") not in SIGNING_ALGORITHMS:
        raise LoginRejected(f"{name}_alg_not_allowed")
    kid = header.get("kid")
    if not isinstance(kid, str):
        raise LoginRejected(f"{name}_kid_missing")
    try:
        key = provider.signing_key(kid)
    except LoginRejected as error:
        raise LoginRejected(f"{name}_{error.reason}", error.status) from None
    try:
        message = jws.deserialize_compact(inner, key, algorithms=sorted(SIGNING_ALGORITHMS))
        claims = json.loads(message.payload)
    except (JoseError, ValueError):
        raise LoginRejected(f"{name}_signature_invalid") from None
    if not isinstance(claims, dict):
        raise LoginRejected(f"{name}_malformed")
    return claims


def open_token(
    token: str,
    name: str,
    *,
    decryption_keys: Mapping[str, ECKey],
    provider: Provider,
    algorithms: tuple[frozenset[str], frozenset[str]],
) -> dict[str, Any]:
    """Decrypt and verify ``token``; its claims (not yet checked, see below).

    ``iss``/``aud`` replicated in the JWE header must equal the inner claims
    (``…_header_mismatch``); ``iss`` must be the provider's for every token.
    """
    header, inner = _decrypt(token, name, decryption_keys, algorithms)
    claims = _verify(inner, name, provider)
    for replicated in ("iss", "aud"):
        if replicated in header and header[replicated] != claims.get(replicated):
            raise LoginRejected(f"{name}_header_mismatch")
    if claims.get("iss") != provider.issuer:
        raise LoginRejected(f"{name}_iss_mismatch")
    return claims


def _audience_ok(claims: Mapping[str, Any], client_id: str) -> bool:
    aud = claims.get("aud")
    if isinstance(aud, str):
        return aud == client_id
    if isinstance(aud, list) and client_id in aud:
        return len(aud) == 1 or claims.get("azp") == client_id
    return False


def check_id_token_claims(
    claims: Mapping[str, Any], *, client_id: str, nonce: str, now: int
) -> None:
    """``aud``, ``exp``, ``iat``, ``nonce`` and ``sub`` of a decrypted, verified id_token."""
    if not _audience_ok(claims, client_id):
        raise LoginRejected("id_token_aud_mismatch")
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int) or isinstance(exp, bool) or now >= exp + LEEWAY_SECONDS:
        raise LoginRejected("id_token_expired")
    if (
        not isinstance(iat, int)
        or isinstance(iat, bool)
        or iat > now + LEEWAY_SECONDS
        or iat < now - MAX_AGE_SECONDS
    ):
        raise LoginRejected("id_token_iat_invalid")
    given = claims.get("nonce")
    if not isinstance(given, str) or not hmac.compare_digest(given.encode(), nonce.encode()):
        raise LoginRejected("id_token_nonce_mismatch")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise LoginRejected("id_token_sub_missing")


def check_userinfo_claims(claims: Mapping[str, Any], *, client_id: str, sub: str) -> None:
    """``aud`` and ``sub`` of a decrypted, verified userinfo response."""
    if "aud" in claims and not _audience_ok(claims, client_id):
        raise LoginRejected("userinfo_aud_mismatch")
    if claims.get("sub") != sub:
        raise LoginRejected("userinfo_sub_mismatch")
