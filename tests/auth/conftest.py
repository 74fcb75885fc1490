"""Session fixtures: moto, the keys in SSM, and each provider with its relying party."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.auth.support import (
    Keys,
    RelyingParty,
    put_parameters,
    start_mockpass,
    start_oidc_provider,
    start_relying_party,
)
from tests.runtime.conftest import moto_endpoint, retries_never_sleep
from tests.runtime.support import free_port

__all__ = ["moto_endpoint", "retries_never_sleep"]

MYINFO_SCOPES = ("openid", "name", "uinfin")


@pytest.fixture(scope="session")
def keys() -> Keys:
    """The relying party's and the provider's keys for this session."""
    return Keys.generate()


@pytest.fixture(scope="session")
def parameters(moto_endpoint: str, keys: Keys) -> dict[str, str]:
    """The five SSM parameters (client id, keys, key ring, public JWKS) in moto."""
    return put_parameters("/trellis/dev/citizen-login", keys)


def _fapi(
    tmp: pytest.TempPathFactory, keys: Keys, parameters: dict[str, str], nonce: bool
) -> Iterator[RelyingParty]:
    port = free_port()
    provider = start_oidc_provider(
        tmp.mktemp("op"), keys, f"http://127.0.0.1:{port}", require_dpop_nonce=nonce
    )
    rp = start_relying_party(
        keys,
        parameters,
        profile="fapi2",
        issuer=provider.issuer,
        port=port,
        scopes=MYINFO_SCOPES,
    )
    try:
        yield rp
    finally:
        rp.server.close()
        provider.stop()


@pytest.fixture(scope="session")
def fapi(
    tmp_path_factory: pytest.TempPathFactory, keys: Keys, parameters: dict[str, str]
) -> Iterator[RelyingParty]:
    """oidc-provider (FAPI 2.0, no DPoP nonce) and the handlers in front of it."""
    yield from _fapi(tmp_path_factory, keys, parameters, nonce=False)


@pytest.fixture(scope="session")
def fapi_nonce(
    tmp_path_factory: pytest.TempPathFactory, keys: Keys, parameters: dict[str, str]
) -> Iterator[RelyingParty]:
    """oidc-provider requiring a server-provided DPoP nonce, and the handlers."""
    yield from _fapi(tmp_path_factory, keys, parameters, nonce=True)


@pytest.fixture(scope="session")
def legacy(keys: Keys, parameters: dict[str, str]) -> Iterator[RelyingParty]:
    """mockpass (Singpass v2) and the handlers in the legacy profile."""
    port = free_port()
    provider = start_mockpass(f"http://127.0.0.1:{port}")
    rp = start_relying_party(keys, parameters, profile="legacy", issuer=provider.issuer, port=port)
    try:
        yield rp
    finally:
        rp.server.close()
        provider.stop()


@pytest.fixture(params=["fapi", "fapi_nonce"])
def fapi_rp(request: pytest.FixtureRequest) -> Iterator[RelyingParty]:
    """Each FAPI 2.0 relying party in turn, reset before and after the test."""
    rp: RelyingParty = request.getfixturevalue(request.param)
    rp.reset()
    yield rp
    rp.reset()
