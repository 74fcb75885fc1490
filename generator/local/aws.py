"""moto in server mode on a free port of 127.0.0.1, inside this process.

moto is an optional extra (``pip install 'trellis-iac[local]'``); without it
:func:`start_local_aws` raises a :class:`~generator.errors.UserError` that says so.
"""

from __future__ import annotations

import logging
import socket
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from generator.errors import UserError

__all__ = ["LocalAws", "free_port", "start_local_aws"]

#: Credentials moto accepts; they are not secrets and reach nothing but the local server.
LOCAL_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_SESSION_TOKEN": "local",
}


@dataclass(frozen=True)
class LocalAws:
    """A running moto server: its endpoint and the variables that point clients at it."""

    endpoint_url: str
    region: str

    def environment(self) -> dict[str, str]:
        """Variables for boto3 and the AWS CLI (``AWS_ENDPOINT_URL`` and credentials)."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            **LOCAL_CREDENTIALS,
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
        }


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def start_local_aws(region: str) -> Iterator[LocalAws]:
    """Run moto's server on 127.0.0.1 for the duration of the ``with`` block.

    Raises:
        UserError: moto (the ``local`` extra) is not installed.
    """
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        raise UserError.single(
            "trellis run",
            "running a blueprint locally needs moto, which is not installed",
            hint="pip install 'trellis-iac[local]' (in a trellis checkout: make install)",
            code="missing-extra",
        ) from None
    # werkzeug (moto's HTTP server) logs every request on stderr; the run has its own display
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    # moto keeps its state in module globals: a server started earlier in this process
    # (a test, a previous run) would leave its resources behind. Start empty.
    reset = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")  # noqa: S310 - ours
    with urllib.request.urlopen(reset, timeout=30) as response:  # noqa: S310 - our local server
        response.read()
    try:
        yield LocalAws(endpoint_url=endpoint, region=region)
    finally:
        server.stop()
