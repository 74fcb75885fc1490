"""One local endpoint per test process, emptied before every test; the example repository."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.local.aws import LocalAws, start_local_aws
from runtime.core.retry import set_test_mode
from tests.blueprint.repo import example_repository
from tests.ops.support import Seeded, local_credentials, reset


@pytest.fixture(scope="session")
def local_aws() -> Iterator[LocalAws]:
    """moto in server mode on 127.0.0.1 (a free port), in the example's dev region."""
    with start_local_aws("ap-southeast-1") as aws, local_credentials(aws):
        set_test_mode(True)
        yield aws
        set_test_mode(False)


@pytest.fixture
def seeded(tmp_path: Path, local_aws: LocalAws) -> Seeded:
    """The orders pipeline (dev) created fresh on the emptied endpoint."""
    reset(local_aws)
    return Seeded(example_repository(tmp_path / "repo"), local_aws)
