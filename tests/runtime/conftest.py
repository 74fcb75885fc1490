"""Session fixtures for the runtime tests: one moto server, one HTTP source, no sleeping."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from runtime.core.retry import set_test_mode
from tests.runtime.support import SourceServer, aws_environment, free_port


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """moto in server mode on 127.0.0.1 (a free port); boto3 in this process points at it."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    saved = {k: os.environ.get(k) for k in aws_environment(endpoint)}
    os.environ.update(aws_environment(endpoint))
    try:
        yield endpoint
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session", autouse=True)
def retries_never_sleep() -> Iterator[None]:
    """Every retry path runs for real, without waiting."""
    set_test_mode(True)
    yield
    set_test_mode(False)


@pytest.fixture(scope="session")
def source_server() -> Iterator[SourceServer]:
    """The paginated HTTP source on 127.0.0.1."""
    server = SourceServer()
    yield server
    server.stop()
