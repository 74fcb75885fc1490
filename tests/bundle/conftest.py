"""Session fixtures for the bundle tests: one wheel download and one build per session."""

from __future__ import annotations

import fcntl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.bundle import Bundle, build_runtime_bundle
from generator.bundle.build import REQUIREMENTS_FILE
from tests.runtime.conftest import moto_endpoint, source_server

__all__ = ["bundle", "moto_endpoint", "source_server", "wheelhouse"]


@pytest.fixture(scope="session")
def shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory shared by all xdist workers of this run (the parent of their basetemps)."""
    root = tmp_path_factory.getbasetemp()
    shared = root.parent if root.name.startswith("popen-gw") else root
    path = shared / "trellis-bundle-shared"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def wheelhouse(shared_dir: Path) -> Iterator[Path]:
    """The pinned wheels, downloaded once per session (hash-checked) for offline builds."""
    path = shared_dir / "wheels"
    with (shared_dir / "wheels.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (path / ".complete").exists():
            subprocess.run(
                [
                    sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                    "--require-hashes", "--only-binary=:all:",
                    "--platform", "manylinux2014_aarch64", "--python-version", "3.13",
                    "--implementation", "cp", "--disable-pip-version-check",
                    "-d", str(path), "-r", str(REQUIREMENTS_FILE),
                ],
                check=True,
            )  # fmt: skip
            (path / ".complete").touch()
        fcntl.flock(lock, fcntl.LOCK_UN)
    yield path


@pytest.fixture(scope="session")
def bundle(wheelhouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """The runtime bundle, built once per session from the wheelhouse."""
    return build_runtime_bundle(tmp_path_factory.mktemp("bundle-cache"), find_links=wheelhouse)
