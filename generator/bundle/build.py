"""Build the Lambda runtime bundles: one zip for every ingestion function, one for AuthFlow.

The zip holds the ``runtime`` package and its third-party dependencies
(``requirements.txt`` beside this file, pinned with hashes), installed for the Lambda
platform with ``pip install --platform manylinux2014_<arch> --only-binary=:all:
--python-version <v> --implementation cp --no-compile --target``. Every function runs the
same code and differs only in its handler string and environment variables, so 200
pipelines need one build, not 400.

The built zip is cached in ``cache_dir`` under a key hashed from the runtime's sources,
the requirements, the Python version, the architecture and this builder's format
version: an unchanged runtime is never rebuilt, and a changed one always is.

Nothing varies between machines: no ``__pycache__``/``.pyc``, no ``RECORD``, ``INSTALLER``,
``REQUESTED`` or ``direct_url.json`` (they record where and how pip ran), fixed zip
metadata (see :mod:`generator.bundle.archive`).

boto3 is not bundled: the Lambda Python runtime provides it, and bundling it would grow
the zip from tens of kilobytes to tens of megabytes.

The AuthFlow functions get a zip of their own (:func:`build_auth_bundle`): ``runtime.core``
and ``runtime.auth`` with joserfc and its cryptography backend (``auth-requirements.txt``),
so the ingestion zip does not carry megabytes of cryptography it never imports, and the
auth zip carries no ingestion code.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from generator.bundle.archive import deterministic_zip
from runtime.contract import AUTH_FLOW_HANDLERS, INGEST_HANDLERS

__all__ = [
    "HANDLERS",
    "REQUIREMENTS_FILE",
    "Bundle",
    "BundleBuildError",
    "build_auth_bundle",
    "build_runtime_bundle",
    "runtime_files",
]

#: Bump when the zip layout changes, so caches built by an older builder are not reused.
FORMAT_VERSION = "1"
REQUIREMENTS_FILE = Path(__file__).with_name("requirements.txt")
AUTH_REQUIREMENTS_FILE = Path(__file__).with_name("auth-requirements.txt")
#: Lambda handler strings of the functions the bundle serves.
HANDLERS = INGEST_HANDLERS
#: Lambda handler strings of the AuthFlow functions (the auth bundle serves them).
AUTH_HANDLERS = AUTH_FLOW_HANDLERS
#: Which of ``runtime``'s subpackages each bundle leaves out.
_EXCLUDED = {"runtime": ("auth",), "auth": ("ingest",)}
_PLATFORMS = {"arm64": "manylinux2014_aarch64", "x86_64": "manylinux2014_x86_64"}
_VOLATILE_METADATA = frozenset({"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"})


class BundleBuildError(RuntimeError):
    """pip could not install the runtime's dependencies (its output is in the message)."""


@dataclass(frozen=True)
class Bundle:
    """A built runtime zip.

    ``filename`` is ``<sha256 hex>.zip``; ``base64_sha256`` is what Terraform's
    ``source_code_hash`` expects (``filebase64sha256`` of the file).
    """

    filename: str
    data: bytes
    sha256: str
    base64_sha256: str

    @classmethod
    def from_bytes(cls, data: bytes) -> Bundle:
        """Name and hash ``data``."""
        digest = hashlib.sha256(data)
        return cls(
            filename=f"{digest.hexdigest()}.zip",
            data=data,
            sha256=digest.hexdigest(),
            base64_sha256=base64.b64encode(digest.digest()).decode("ascii"),
        )


def _runtime_root() -> Path:
    import runtime  # the generator may read the runtime; the reverse is forbidden

    return Path(runtime.__file__).resolve().parent


def _is_cache(path: Path) -> bool:
    return "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo")


def runtime_files(root: Path | None = None, *, bundle: str = "runtime") -> dict[str, bytes]:
    """The ``runtime`` package's files of ``bundle`` by archive name (``runtime/core/retry.py``).

    ``bundle`` is ``"runtime"`` (ingestion: everything but ``runtime/auth``) or ``"auth"``
    (everything but ``runtime/ingest``).
    """
    root = root or _runtime_root()
    excluded = _EXCLUDED[bundle]
    files: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts and relative.parts[0] in excluded:
            continue
        if path.is_file() and not _is_cache(relative):
            files[f"runtime/{relative.as_posix()}"] = path.read_bytes()
    return files


def _cache_key(
    sources: dict[str, bytes], requirements: bytes, python_version: str, architecture: str
) -> str:
    digest = hashlib.sha256()
    for part in (FORMAT_VERSION, python_version, architecture):
        digest.update(part.encode() + b"\0")
    digest.update(hashlib.sha256(requirements).digest())
    for name in sorted(sources):
        digest.update(name.encode() + b"\0" + hashlib.sha256(sources[name]).digest())
    return digest.hexdigest()


def _install_dependencies(
    target: Path,
    requirements: Path,
    python_version: str,
    architecture: str,
    find_links: Path | None,
) -> dict[str, bytes]:
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-input",
        "--no-deps",
        "--require-hashes",
        "--only-binary=:all:",
        "--platform",
        _PLATFORMS[architecture],
        "--python-version",
        python_version,
        "--implementation",
        "cp",
        "--no-compile",
        "--target",
        str(target),
        "-r",
        str(requirements),
    ]
    if find_links is not None:
        command += ["--no-index", "--find-links", str(find_links)]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise BundleBuildError(
            f"pip could not install the runtime dependencies from {requirements} "
            f"(exit {completed.returncode}):\n{completed.stderr.strip()}"
        )
    files: dict[str, bytes] = {}
    for path in sorted(target.rglob("*")):
        relative = path.relative_to(target)
        if not path.is_file() or _is_cache(relative) or relative.parts[0] == "bin":
            continue
        if relative.parent.name.endswith(".dist-info") and relative.name in _VOLATILE_METADATA:
            continue
        files[relative.as_posix()] = path.read_bytes()
    return files


def build_runtime_bundle(
    cache_dir: Path,
    *,
    python_version: str = "3.13",
    architecture: Literal["arm64", "x86_64"] = "arm64",
    requirements: Path = REQUIREMENTS_FILE,
    find_links: Path | None = None,
) -> Bundle:
    """The ingestion runtime zip for ``python_version`` on ``architecture``, cached.

    Args:
        cache_dir: where built zips are kept (created if missing); safe to share
            between concurrent builds, since a zip is written to a temporary name and
            renamed into place.
        python_version: the Lambda runtime's Python (``"3.13"`` for ``python3.13``).
        architecture: the function's architecture.
        requirements: pinned, hashed requirements (the default is the runtime's own).
        find_links: a local wheelhouse to install from instead of the package index
            (offline builds; the hashes are checked all the same).

    Raises:
        BundleBuildError: pip failed (no network to the package index, a hash mismatch,
            no wheel for the platform).
        ValueError: an unknown architecture.
    """
    return _build("runtime", cache_dir, python_version, architecture, requirements, find_links)


def build_auth_bundle(
    cache_dir: Path,
    *,
    python_version: str = "3.13",
    architecture: Literal["arm64", "x86_64"] = "arm64",
    requirements: Path = AUTH_REQUIREMENTS_FILE,
    find_links: Path | None = None,
) -> Bundle:
    """The AuthFlow zip (``runtime.core`` + ``runtime.auth`` + joserfc, cryptography).

    Same arguments and errors as :func:`build_runtime_bundle`; cryptography's wheel is
    abi3 and cffi's is per interpreter, so ``python_version`` picks cffi's wheel.
    """
    return _build("auth", cache_dir, python_version, architecture, requirements, find_links)


def _build(
    bundle: str,
    cache_dir: Path,
    python_version: str,
    architecture: str,
    requirements: Path,
    find_links: Path | None,
) -> Bundle:
    if architecture not in _PLATFORMS:
        raise ValueError(f"architecture {architecture!r} must be one of {sorted(_PLATFORMS)}")
    sources = runtime_files(bundle=bundle)
    key = _cache_key(sources, requirements.read_bytes(), python_version, architecture)
    cache_dir.mkdir(parents=True, exist_ok=True)
    cached = cache_dir / f"{bundle}-{key}.zip"
    if cached.is_file():
        return Bundle.from_bytes(cached.read_bytes())

    with tempfile.TemporaryDirectory(prefix="trellis-bundle-") as work:
        dependencies = _install_dependencies(
            Path(work) / "site", requirements, python_version, architecture, find_links
        )
    clashes = sorted(set(dependencies) & set(sources))
    if clashes:
        raise BundleBuildError(f"a dependency ships files of the runtime package: {clashes}")
    data = deterministic_zip({**dependencies, **sources})

    fd, partial = tempfile.mkstemp(prefix=f".{bundle}-", suffix=".partial", dir=cache_dir)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    Path(partial).replace(cached)
    return Bundle.from_bytes(data)
