"""Benchmark the AuthFlow runtime: cold import, callback CPU time, zip size.

- cold import: ``import runtime.auth.callback`` (joserfc, cryptography and all) in a fresh
  ``python -S`` process from the unzipped auth bundle, without a bytecode cache (the zip
  carries no ``.pyc`` and Lambda's ``/var/task`` is read-only), as a cold start does;
- callback CPU: the callback's crypto per login, measured with ``time.process_time`` —
  decrypting the id_token (ECDH-ES+A256KW / A256CBC-HS512), verifying its ES256 signature
  and checking its claims, plus opening the state cookie and sealing the session cookie;
- zip size: the Lambda zip (python3.13, arm64) compressed and unpacked, beside the
  ingestion zip.

    .venv/bin/python benchmarks/auth.py --rounds 300
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from joserfc import jwe, jws  # noqa: E402
from joserfc.jwk import ECKey  # noqa: E402

from generator.bundle import build_auth_bundle, build_runtime_bundle  # noqa: E402
from runtime.auth.http import Response  # noqa: E402
from runtime.auth.provider import Provider  # noqa: E402
from runtime.auth.seal import KeyRing, seal, unseal  # noqa: E402
from runtime.auth.tokens import ID_TOKEN_ALGORITHMS, check_id_token_claims, open_token  # noqa: E402

ISSUER = "https://id.example"


class _MemoryProvider:
    """Discovery and JWKS served from memory (no network in the measured loop)."""

    def __init__(self, jwks: dict[str, object]) -> None:
        self.documents = {
            f"{ISSUER}/.well-known/openid-configuration": {
                "issuer": ISSUER,
                "authorization_endpoint": f"{ISSUER}/auth",
                "token_endpoint": f"{ISSUER}/token",
                "jwks_uri": f"{ISSUER}/jwks",
            },
            f"{ISSUER}/jwks": jwks,
        }

    def request(
        self, method: str, url: str, *, headers: Mapping[str, str], body: bytes | None = None
    ) -> Response:
        return Response(200, json.dumps(self.documents[url]).encode())


def _callback_crypto_seconds(rounds: int) -> tuple[float, float]:
    """Median CPU seconds of (id_token open + check) and (cookie open + session seal)."""
    op = ECKey.generate_key("P-256", {"kid": "op", "use": "sig"})
    rp = ECKey.generate_key("P-256", {"kid": "rp-enc", "use": "enc"})
    provider = Provider(ISSUER, _MemoryProvider({"keys": [op.as_dict(private=False)]}))
    ring = KeyRing.parse(json.dumps({"current": "k", "keys": {"k": "A" * 43}}))
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": "client",
        "sub": "u",
        "nonce": "n",
        "iat": now,
        "exp": now + 600,
    }
    inner = jws.serialize_compact({"alg": "ES256", "kid": "op"}, json.dumps(claims), op)
    header = {"alg": "ECDH-ES+A256KW", "enc": "A256CBC-HS512", "kid": "rp-enc", "cty": "JWT"}
    token = jwe.encrypt_compact(header, inner, ECKey.import_key(rp.as_dict(private=False)))
    state = seal(ring, "trellis-auth", {"state": "s", "exp": now + 600, "dpop": {}})
    keys = {"rp-enc": rp}
    token_times, cookie_times = [], []
    for _ in range(rounds):
        start = time.process_time()
        opened = open_token(
            token, "id_token", decryption_keys=keys, provider=provider,
            algorithms=ID_TOKEN_ALGORITHMS,
        )  # fmt: skip
        check_id_token_claims(opened, client_id="client", nonce="n", now=now)
        token_times.append(time.process_time() - start)
        start = time.process_time()
        unseal(ring, "trellis-auth", state, now=now)
        seal(ring, "trellis-session", {"sub": "u", "exp": now + 900})
        cookie_times.append(time.process_time() - start)
    return statistics.median(token_times), statistics.median(cookie_times)


def _cold_import_seconds(bundle: bytes, runs: int) -> float:
    """Median wall time of importing the callback handler from the unzipped bundle."""
    with tempfile.TemporaryDirectory() as task:
        zipfile.ZipFile(io.BytesIO(bundle)).extractall(task)
        script = (
            "import sys, time; sys.path.insert(0, sys.argv[1]); t = time.perf_counter(); "
            "import runtime.auth.callback; print(time.perf_counter() - t)"
        )
        times = []
        for _ in range(runs):
            done = subprocess.run(
                [sys.executable, "-S", "-c", script, task],
                capture_output=True, text=True, check=True,
                env={"PATH": os.environ["PATH"], "PYTHONDONTWRITEBYTECODE": "1"},
            )  # fmt: skip
            times.append(float(done.stdout.strip()))
    return statistics.median(times)


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--imports", type=int, default=7)
    args = parser.parse_args()
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    arch = "x86_64" if platform.machine() in ("x86_64", "AMD64") else "arm64"
    with tempfile.TemporaryDirectory() as cache:
        local = build_auth_bundle(Path(cache), python_version=here, architecture=arch)  # type: ignore[arg-type]
        lambda_zip = build_auth_bundle(Path(cache))
        ingest_zip = build_runtime_bundle(Path(cache))
    unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(lambda_zip.data)).infolist())
    token, cookies = _callback_crypto_seconds(args.rounds)
    cold = _cold_import_seconds(local.data, args.imports)
    rows = [
        ("cold import of runtime.auth.callback (python -S, zip, no .pyc)", f"{cold * 1000:.1f} ms"),
        ("callback CPU: id_token decrypt + verify + claims (median)", f"{token * 1000:.2f} ms"),
        ("callback CPU: state cookie open + session seal (median)", f"{cookies * 1000:.2f} ms"),
        ("auth zip, python3.13 arm64 (compressed)", f"{len(lambda_zip.data) / 1e6:.2f} MB"),
        ("auth zip, python3.13 arm64 (unpacked)", f"{unpacked / 1e6:.2f} MB"),
        ("ingestion zip, python3.13 arm64 (compressed)", f"{len(ingest_zip.data) / 1e3:.0f} kB"),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  -----")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(f"\n(import: median of {args.imports} processes; CPU: median of {args.rounds} rounds)")


if __name__ == "__main__":
    main()
