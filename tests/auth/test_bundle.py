"""The AuthFlow zip: reproducible, self-contained, and its handlers run from it.

The end-to-end test runs the zipped handlers in a fresh ``python -S`` process whose
``sys.path`` is only the unzipped bundle and the SDK the Lambda runtime provides, built
for this machine's interpreter and architecture (the zip for Lambda is built the same way
for ``python3.13``/``arm64``).
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import platform
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import boto3
import botocore
import pytest

from generator.bundle import AUTH_HANDLERS, Bundle, build_auth_bundle
from generator.bundle.build import AUTH_REQUIREMENTS_FILE, runtime_files
from runtime.auth.seal import KeyRing, seal
from tests.auth.support import RelyingParty, auth_environment, query_of

_SDK = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py")
_HERE = f"{sys.version_info.major}.{sys.version_info.minor}"
_ARCH = "x86_64" if platform.machine() in ("x86_64", "AMD64") else "arm64"
_PLATFORM = {"x86_64": "manylinux2014_x86_64", "arm64": "manylinux2014_aarch64"}

_CHILD = """
import json, sys
bundle, sdk, handler_path = sys.argv[1:4]
sys.path[:0] = [bundle, sdk]
import importlib
module_name, _, function = handler_path.rpartition(".")
module = importlib.import_module(module_name)
import runtime, joserfc, cryptography
for m in (runtime, joserfc, cryptography):
    assert m.__file__.startswith(bundle), m.__file__
class Context:
    aws_request_id = "e2e-request"
result = getattr(module, function)(json.load(sys.stdin), Context())
print("RESULT " + json.dumps(result))
"""


def _wheelhouse(shared: Path, python_version: str, architecture: str) -> Path:
    path = shared / f"auth-wheels-{python_version}-{architecture}"
    with (shared / "auth-wheels.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (path / ".complete").exists():
            subprocess.run(
                [
                    sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                    "--require-hashes", "--only-binary=:all:", "--platform",
                    _PLATFORM[architecture], "--python-version", python_version,
                    "--implementation", "cp", "--disable-pip-version-check",
                    "-d", str(path), "-r", str(AUTH_REQUIREMENTS_FILE),
                ],
                check=True,
            )  # fmt: skip
            (path / ".complete").touch()
    return path


@pytest.fixture(scope="session")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory shared by the xdist workers of this run."""
    root = tmp_path_factory.getbasetemp()
    path = (root.parent if root.name.startswith("popen-gw") else root) / "trellis-auth-wheels"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def local_bundle(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """The auth zip for this interpreter and machine."""
    return build_auth_bundle(
        tmp_path_factory.mktemp("auth-cache"),
        python_version=_HERE,
        architecture=_ARCH,  # type: ignore[arg-type]
        find_links=_wheelhouse(shared, _HERE, _ARCH),
    )


def test_lambda_build_is_reproducible_byte_for_byte(shared: Path, tmp_path: Path) -> None:
    """Two builds for python3.13/arm64 in separate caches give the same bytes."""
    wheels = _wheelhouse(shared, "3.13", "arm64")
    first = build_auth_bundle(tmp_path / "a", find_links=wheels)
    second = build_auth_bundle(tmp_path / "b", find_links=wheels)
    assert first.data == second.data and first.sha256 == second.sha256
    names = set(zipfile.ZipFile(io.BytesIO(first.data)).namelist())
    assert {"runtime/auth/callback.py", "joserfc/jwe.py", "cffi/__init__.py"} <= names
    assert any(n.startswith("cryptography/hazmat/bindings/_rust.abi3") for n in names)
    assert any(n.startswith("_cffi_backend.cpython-313-aarch64") for n in names)
    assert not [n for n in names if n.startswith("runtime/ingest/")]
    assert not [n for n in names if n.endswith((".pyc", "/RECORD"))]


def test_ingestion_bundle_leaves_the_auth_code_out() -> None:
    """The ingestion zip's runtime files hold no runtime/auth module."""
    assert not [n for n in runtime_files() if n.startswith("runtime/auth/")]
    assert "runtime/auth/flow.py" in runtime_files(bundle="auth")


@pytest.fixture(scope="module")
def lambda_dirs(
    local_bundle: Bundle, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    """The unzipped bundle, and a directory with only the SDK the Lambda runtime provides."""
    task = tmp_path_factory.mktemp("task")
    zipfile.ZipFile(io.BytesIO(local_bundle.data)).extractall(task)
    sdk = tmp_path_factory.mktemp("sdk")
    site = Path(botocore.__file__).parent.parent
    assert Path(boto3.__file__).parent.parent == site
    for name in _SDK:
        (sdk / name).symlink_to(site / name)
    return task, sdk


def invoke(
    dirs: tuple[Path, Path], handler: str, event: dict[str, Any], env: dict[str, str]
) -> Any:
    """Run ``handler`` from the zip in a fresh ``python -S`` process; its result."""
    task, sdk = dirs
    child_env = {k: v for k, v in os.environ.items() if k.startswith("AWS_")}
    child_env.update(env, PATH="/usr/bin:/bin", LAMBDA_TASK_ROOT=str(task))
    completed = subprocess.run(
        [sys.executable, "-S", "-c", _CHILD, str(task), str(sdk), handler],
        input=json.dumps(event), capture_output=True, text=True, env=child_env, cwd=task,
        check=False, timeout=120,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    line = next(x for x in completed.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def _event(path: str, query: str = "", cookies: list[str] | None = None) -> dict[str, Any]:
    event: dict[str, Any] = {
        "version": "2.0",
        "rawPath": path,
        "rawQueryString": query,
        "headers": {},
        "requestContext": {"requestId": "e2e", "http": {"method": "GET", "path": path}},
    }
    if cookies:
        event["cookies"] = cookies
    return event


def test_zipped_login_pushes_a_request_to_the_real_provider(
    fapi: RelyingParty, parameters: dict[str, str], lambda_dirs: tuple[Path, Path]
) -> None:
    """The zip's login handler does PAR (assertion + DPoP) at oidc-provider and redirects."""
    issuer = fapi.contexts["login"].settings.flow.issuer
    env = auth_environment(
        "login", profile="fapi2", issuer=issuer,
        redirect_uri=f"{fapi.url}/auth/callback", names=parameters,
    )  # fmt: skip
    result = invoke(lambda_dirs, AUTH_HANDLERS["login"], _event("/auth/login"), env)
    assert result["statusCode"] == 302, result
    assert set(query_of(result["headers"]["Location"])) == {"client_id", "request_uri"}
    assert result["cookies"][0].startswith("__Host-trellis-auth=")


def test_zipped_session_and_jwks_handlers(
    fapi: RelyingParty, parameters: dict[str, str], lambda_dirs: tuple[Path, Path]
) -> None:
    """From the zip, /auth/me opens a sealed session and the JWKS handler serves public keys."""
    common = {"profile": "fapi2", "issuer": "https://id.example", "names": parameters,
              "redirect_uri": "https://portal.example/auth/callback"}  # fmt: skip
    ring = KeyRing.parse(json.dumps(fapi.keys.ring))
    cookie = seal(ring, "trellis-session", {"sub": "u-1", "exp": 4_000_000_000})
    me = invoke(
        lambda_dirs, AUTH_HANDLERS["session"],
        _event("/auth/me", cookies=[f"__Host-trellis-session={cookie}"]),
        auth_environment("session", **common),  # type: ignore[arg-type]
    )  # fmt: skip
    assert me["statusCode"] == 200 and json.loads(me["body"])["claims"]["sub"] == "u-1"
    keys = invoke(
        lambda_dirs, AUTH_HANDLERS["jwks"], _event("/.well-known/jwks.json"),
        auth_environment("jwks", **common),  # type: ignore[arg-type]
    )  # fmt: skip
    served = json.loads(keys["body"])["keys"]
    assert sorted(k["kid"] for k in served) == ["rp-enc-1", "rp-sig-1"]
    assert not [k for k in served if "d" in k]
