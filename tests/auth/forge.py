"""What an attacker sends: id_tokens re-signed, unsigned, HMAC-confused or re-encrypted.

The tests hold the provider's signing key (they configured the provider with it) and the
relying party's public encryption key, so they can mint every variant a malicious or
compromised party could, starting from the real id_token the provider issued.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from joserfc import jwe, jws
from joserfc.jwk import ECKey, OctKey

from tests.auth.support import Keys


def b64(data: bytes) -> str:
    """base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def real_claims(id_token: str, keys: Keys) -> dict[str, Any]:
    """The claims of the provider's real id_token (decrypted with the RP's key)."""
    registry = jwe.JWERegistry(strict_check_header=False)
    inner = jwe.decrypt_compact(id_token, keys.encryption, registry=registry).plaintext or b""
    payload = inner.decode().split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def sign(claims: dict[str, Any], key: ECKey, kid: str = "op-sig-1") -> str:
    """An ES256 JWS over ``claims``."""
    header = {"alg": "ES256", "kid": kid, "typ": "JWT"}
    return jws.serialize_compact(header, json.dumps(claims), key, algorithms=["ES256"])


def unsigned(claims: dict[str, Any]) -> str:
    """``alg: none``: no signature at all."""
    header = b64(json.dumps({"alg": "none", "kid": "op-sig-1"}).encode())
    return f"{header}.{b64(json.dumps(claims).encode())}."


def hmac_with_public_key(claims: dict[str, Any], keys: Keys) -> str:
    """HS256 keyed with the provider's *public* key (the classic algorithm confusion)."""
    public = json.dumps(keys.provider.as_dict(private=False), sort_keys=True).encode()
    header = {"alg": "HS256", "kid": "op-sig-1", "typ": "JWT"}
    registry = jws.JWSRegistry(algorithms=["HS256"])
    return jws.serialize_compact(
        header, json.dumps(claims), OctKey.import_key(public), registry=registry
    )


def encrypt(
    inner: str,
    keys: Keys,
    alg: str = "ECDH-ES+A256KW",
    enc: str = "A256CBC-HS512",
    **replicated: str,
) -> str:
    """``inner`` encrypted to the relying party's public encryption key (``replicated``:
    claims copied into the JWE header, RFC 7519 §5.3)."""
    public = ECKey.import_key(keys.encryption.as_dict(private=False))
    header = {"alg": alg, "enc": enc, "kid": "rp-enc-1", "cty": "JWT", **replicated}
    registry = jwe.JWERegistry(algorithms=[alg, enc], strict_check_header=False)
    return jwe.encrypt_compact(header, inner, public, registry=registry)
