"""Fixtures for the offline provider: the schema, a rendered-like tree, one session.

The provider schema is the exact 6.47.0 schema in ``shared/data`` beside the repository
(or beside a folder above it); ``TRELLIS_PROVIDER_SCHEMA`` is pointed at it for the whole
test session. The tree is a copy of ``stacks/`` with a small Lambda bundle written next
to it, laid out like ``build/``. One :class:`OfflineSession` (one provider, one embedded
Terraform) serves every test of a worker process.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.offline_provider.session import OfflineSession
from generator.offline_provider.workspace import scan_stack

# The schema loader's contract (set here, not imported, so any loader fits).
ENV_VAR = "TRELLIS_PROVIDER_SCHEMA"
SCHEMA_NAME = "aws-provider-schema-6.47.0.json.gz"
STACKS = Path(__file__).parent / "stacks"
REPO_ROOT = Path(__file__).resolve().parents[2]
ROOT_STACKS = ("dev/orders", "prd/orders", "dev/policies", "dev/edge")


def find_shared_schema(start: Path) -> Path | None:
    """``shared/data/<schema>`` beside ``start`` or beside a folder above it (CI: beside)."""
    for base in (start, *start.parents):
        candidate = base.parent / "shared" / "data" / SCHEMA_NAME
        if candidate.is_file():
            return candidate
    return None


def write_tree(target: Path) -> Path:
    """Copy the test stacks to ``target`` and add the Lambda bundle they reference."""
    shutil.copytree(STACKS, target)
    (target / "bundles").mkdir()
    with zipfile.ZipFile(target / "bundles" / "orders.zip", "w") as bundle:
        info = zipfile.ZipInfo("orders/consumer.py", date_time=(1980, 1, 1, 0, 0, 0))
        bundle.writestr(info, "def handler(event, context):\n    return {}\n")
    return target


@pytest.fixture(scope="session", autouse=True)
def provider_schema() -> Iterator[Path]:
    """TRELLIS_PROVIDER_SCHEMA points at the shared 6.47.0 schema for the session."""
    found = find_shared_schema(REPO_ROOT)
    if found is None:
        pytest.fail("shared/data/aws-provider-schema-6.47.0.json.gz not found beside the repo")
    previous = os.environ.get(ENV_VAR)
    os.environ[ENV_VAR] = str(found)
    yield found
    if previous is None:
        os.environ.pop(ENV_VAR, None)
    else:
        os.environ[ENV_VAR] = previous


@pytest.fixture(scope="session")
def build_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build/-like tree with the test stacks, modules and bundle."""
    return write_tree(tmp_path_factory.mktemp("tree") / "build")


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache directory shared by the session."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def session(build_tree: Path, cache_dir: Path) -> Iterator[OfflineSession]:
    """One offline provider and one embedded Terraform for every test of this worker."""
    scans = [scan_stack(build_tree / name) for name in ROOT_STACKS]
    with OfflineSession(scans, cache_dir) as active:
        yield active
