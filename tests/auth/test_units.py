"""Pure logic of the auth runtime: return paths, sealing and rotation, cookies, settings,
the provider's key cache, and the JWKS handler's refusal to publish private keys."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Mapping
from pathlib import Path

import pytest
from joserfc.jwk import ECKey

from runtime.auth import cookies, jwks
from runtime.auth.context import AuthContext
from runtime.auth.exceptions import LoginRejected
from runtime.auth.http import Response
from runtime.auth.provider import Provider
from runtime.auth.returns import check_return_path
from runtime.auth.seal import KeyRing, KeyRingError, seal, unseal
from runtime.auth.settings import load_auth
from runtime.core.exceptions import SettingsError
from tests.auth.support import auth_environment

ALLOWED = ("/dashboard", "/profile")


@pytest.mark.parametrize(
    "value",
    [
        "//evil.example", "/\\evil", "%2F%2Fevil", "https:evil", "https://evil.example",
        "/dashboard/../admin", "/dashboardx", "/dash board", "/dashboard\r\nSet-Cookie:x",
        "/./dashboard", "", "dashboard", "/admin", "/dashboard#x", "/%2e%2e/x",
    ],
)  # fmt: skip
def test_return_path_refuses_anything_but_allowed_local_paths(value: str) -> None:
    """Other origins, traversal, encoding and unlisted paths are refused."""
    with pytest.raises(LoginRejected) as caught:
        check_return_path(value, ALLOWED)
    assert caught.value.reason == "return_path_rejected"


@pytest.mark.parametrize("value", ["/dashboard", "/dashboard/orders", "/profile?tab=id"])
def test_return_path_accepts_allowed_paths_and_their_children(value: str) -> None:
    """An allowed path, a path under it, and a simple query pass unchanged."""
    assert check_return_path(value, ALLOWED) == value


def _ring(current: str, *kids: str) -> KeyRing:
    keys = {kid: base64.urlsafe_b64encode(os.urandom(32)).decode() for kid in kids}
    return KeyRing.parse(json.dumps({"current": current, "keys": keys}))


def test_rotation_old_cookies_open_until_their_key_leaves_the_ring() -> None:
    """A cookie sealed under the old key opens after rotation, not after the key is removed."""
    old = _ring("a", "a")
    sealed = seal(old, "trellis-session", {"sub": "u", "exp": 2_000})
    rotated = KeyRing("b", {**old.keys, **_ring("b", "b").keys})
    assert unseal(rotated, "trellis-session", sealed, now=1_000)["sub"] == "u"
    assert seal(rotated, "trellis-session", {"exp": 2_000}).count(".") == 4
    with pytest.raises(LoginRejected, match="session_cookie_unknown_kid"):
        unseal(KeyRing("b", {"b": rotated.keys["b"]}), "trellis-session", sealed, now=1_000)


def test_a_state_cookie_cannot_be_used_as_a_session() -> None:
    """The purpose in the header binds a sealed cookie to its use."""
    ring = _ring("a", "a")
    sealed = seal(ring, "trellis-auth", {"state": "s", "exp": 2_000})
    with pytest.raises(LoginRejected, match="session_cookie_wrong_purpose"):
        unseal(ring, "trellis-session", sealed, now=1_000)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("nope", "not JSON"),
        ('{"current": "a", "keys": {"a": "c2hvcnQ"}}', "must be 32 bytes"),
        ('{"current": "z", "keys": {}}', "not a kid"),
    ],
)
def test_malformed_key_ring_is_named_without_its_value(text: str, problem: str) -> None:
    """A bad key ring raises an error that names the problem and repeats no key."""
    with pytest.raises(KeyRingError, match=problem) as caught:
        KeyRing.parse(text)
    assert "c2hvcnQ" not in str(caught.value)


def test_a_cookie_sent_twice_counts_as_absent() -> None:
    """Two cookies of the same name (cookie tossing) are not trusted."""
    event = {"cookies": [f"{cookies.STATE}=a", f"{cookies.STATE}=b", "other=1"]}
    assert cookies.read(event, cookies.STATE) is None
    assert cookies.read({"cookies": [f"{cookies.STATE}=a"]}, cookies.STATE) == "a"


def test_cookie_attributes_are_host_only_secure_httponly_lax() -> None:
    """Set and clear both carry Secure, HttpOnly, SameSite=Lax and Path=/."""
    for value in (cookies.set_cookie(cookies.STATE, "v", 600), cookies.clear(cookies.SESSION)):
        assert "Secure; HttpOnly; SameSite=Lax; Path=/" in value
        assert "Domain" not in value


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"profile": "oidc"}, r"profile \('oidc'\) must be fapi2 or legacy"),
        ({"session_ttl_minutes": 0}, "session_ttl_minutes"),
        ({"surprise": 1}, "surprise is not a known key"),
        ({"parameters": {"state_key": "no-slash"}}, "parameters must map"),
    ],
)
def test_settings_errors_name_the_key(change: dict[str, object], message: str) -> None:
    """A malformed TRELLIS_AUTH names the offending key."""
    env = auth_environment(
        "session", profile="fapi2", issuer="https://id.example",
        redirect_uri="https://portal.example/auth/callback", names={"state_key": "/p/s"},
    )  # fmt: skip
    data = json.loads(env["TRELLIS_AUTH"])
    data.update(change)
    env["TRELLIS_AUTH"] = json.dumps(data)
    with pytest.raises(SettingsError, match=message):
        load_auth(env)


class _Jwks:
    """The provider's discovery and JWKS from memory, counting JWKS fetches."""

    def __init__(self, key: ECKey) -> None:
        self.fetches = 0
        self.key = key

    def request(
        self, method: str, url: str, *, headers: Mapping[str, str], body: bytes | None = None
    ) -> Response:
        if url.endswith("openid-configuration"):
            document = {
                "issuer": "https://id.example",
                "authorization_endpoint": "https://id.example/auth",
                "token_endpoint": "https://id.example/token",
                "jwks_uri": "https://id.example/jwks",
            }
            return Response(200, json.dumps(document).encode())
        self.fetches += 1
        return Response(200, json.dumps({"keys": [self.key.as_dict(private=False)]}).encode())


def test_unknown_kid_refetches_the_jwks_at_most_once_a_minute() -> None:
    """A flood of unknown kids costs one JWKS fetch per minute, not one per token."""
    now = [0.0]
    http = _Jwks(ECKey.generate_key("P-256", {"kid": "k1", "use": "sig"}))
    provider = Provider("https://id.example", http, clock=lambda: now[0])
    assert provider.signing_key("k1").kid == "k1"
    for _ in range(50):
        with pytest.raises(LoginRejected, match="signing_kid_unknown"):
            provider.signing_key("forged")
    assert http.fetches == 1
    http.key = ECKey.generate_key("P-256", {"kid": "k2", "use": "sig"})  # the provider rotates
    now[0] = 61.0
    assert provider.signing_key("k2").kid == "k2"
    assert http.fetches == 2


class _Parameters:
    def __init__(self, value: str) -> None:
        self.value = value

    def get(self, name: str) -> str:
        return self.value


def test_jwks_handler_refuses_to_publish_a_private_key(caplog: pytest.LogCaptureFixture) -> None:
    """A public-JWKS parameter holding a private key gives 500, and the key is not served."""
    private = ECKey.generate_key("P-256", {"kid": "k", "use": "sig"}).as_dict(private=True)
    env = auth_environment(
        "jwks", profile="fapi2", issuer="https://id.example",
        redirect_uri="https://portal.example/auth/callback", names={"public_jwks": "/p/jwks"},
    )  # fmt: skip
    ctx = AuthContext(
        load_auth(env),
        _Parameters(json.dumps({"keys": [private]})),
        _Jwks(ECKey.generate_key("P-256")),
    )
    response = jwks.handle(ctx, {"rawPath": "/.well-known/jwks.json"})
    assert response["statusCode"] == 500
    assert str(private["d"]) not in json.dumps(response)


def test_keygen_writes_keys_the_runtime_accepts(tmp_path: Path) -> None:
    """keygen's files load as the runtime's signing/encryption keys, ring and public JWKS."""
    from runtime.auth import keygen
    from runtime.auth.keys import private_keys, public_jwks

    assert keygen.main(["--out", str(tmp_path), "--kid", "2026-12"]) == 0
    read = {p.name: p.read_text() for p in tmp_path.iterdir()}
    assert private_keys(read["signing-key.json"], "signing", "sig").keys() == {"2026-12-sig"}
    assert private_keys(read["encryption-key.json"], "enc", "enc").keys() == {"2026-12-enc"}
    assert KeyRing.parse(read["state-keys.json"]).current == "2026-12"
    assert len(public_jwks(read["public-jwks.json"], "jwks")["keys"]) == 2
    assert {oct(p.stat().st_mode & 0o777) for p in tmp_path.iterdir()} == {"0o600"}
    with pytest.raises(SystemExit) as caught:
        keygen.main(["--out", str(tmp_path), "--kid", "2026-12"])
    assert caught.value.code == 2


def test_id_token_with_claims_replicated_in_its_header_is_accepted() -> None:
    """iss/aud copied into the JWE header (RFC 7519 §5.3) pass when equal to the claims."""
    from joserfc import jwe, jws

    from runtime.auth.tokens import ID_TOKEN_ALGORITHMS, open_token

    op = ECKey.generate_key("P-256", {"kid": "k1", "use": "sig"})
    rp = ECKey.generate_key("P-256", {"kid": "e1", "use": "enc"})
    claims = {"iss": "https://id.example", "aud": "client", "sub": "u"}
    inner = jws.serialize_compact({"alg": "ES256", "kid": "k1"}, json.dumps(claims), op)
    header = {"alg": "ECDH-ES+A256KW", "enc": "A256CBC-HS512", "kid": "e1",
              "iss": "https://id.example", "aud": "client"}  # fmt: skip
    registry = jwe.JWERegistry(strict_check_header=False)
    token = jwe.encrypt_compact(header, inner, ECKey.import_key(rp.as_dict()), registry=registry)
    provider = Provider("https://id.example", _Jwks(op))
    opened = open_token(
        token, "id_token", decryption_keys={"e1": rp}, provider=provider,
        algorithms=ID_TOKEN_ALGORITHMS,
    )  # fmt: skip
    assert opened == claims
