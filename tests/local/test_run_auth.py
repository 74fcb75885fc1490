"""`trellis run` on an AuthFlow: the real handlers on a local port, a real oidc-provider."""

from __future__ import annotations

import json
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.auth.support import (
    CLIENT_ID,
    SUB,
    Browser,
    Keys,
    NodeProvider,
    provider_login,
    start_oidc_provider,
)
from tests.blueprint.repo import example_repository
from tests.runtime.support import free_port

TRELLIS = Path(sys.executable).with_name("trellis")


class Served:
    """A `trellis run` subprocess and the lines it printed."""

    def __init__(self, args: list[str]) -> None:
        self.process = subprocess.Popen(
            [str(TRELLIS), "run", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.out: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 60) -> str:
        """Everything printed up to the line containing ``text``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            self.out.append(line)
            if text in line:
                return "".join(self.out)
        err = self.process.stderr.read() if self.process.stderr else ""
        raise AssertionError(f"no {text!r} in:\n{''.join(self.out)}\n{err[-3000:]}")

    def interrupt(self) -> int:
        """Ctrl-C, then the exit status."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=30)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A fresh copy of the example repository (citizen-login signs in at Singpass staging)."""
    return example_repository(tmp_path / "repo")


@pytest.fixture
def served(repo: Path, tmp_path: Path) -> Iterator[tuple[Served, str, NodeProvider]]:
    """`trellis run citizen-login --port 0`, and oidc-provider registered with what it printed."""
    provider_port = free_port()
    issuer = f"http://127.0.0.1:{provider_port}"
    run = Served(
        ["citizen-login", "--repo", str(repo), "--issuer", issuer, "--port", "0",
         "--client-id", CLIENT_ID]
    )  # fmt: skip
    provider: NodeProvider | None = None
    try:
        out = run.wait_for("Press Ctrl-C to stop.")
        url = re.search(r"serving the handlers on (http://127\.0\.0\.1:\d+)", out)
        assert url is not None, out
        assert f"redirect URI  {url[1]}/auth/callback" in out
        assert f"JWKS URL      {url[1]}/.well-known/jwks.json" in out
        provider = start_oidc_provider(
            tmp_path, Keys.generate(), url[1], require_dpop_nonce=False, port=provider_port
        )
        assert provider.issuer == issuer
        yield run, out, provider
    finally:
        if provider is not None:
            provider.stop()
        if run.process.poll() is None:
            run.interrupt()


def test_login_through_the_served_port_reaches_a_signed_in_session(
    served: tuple[Served, str, NodeProvider],
) -> None:
    """The printed login URL, a headless login at oidc-provider and /auth/me signed in."""
    run, out, _ = served
    login = re.search(r"^  (http://127\.0\.0\.1:\d+/auth/login\?return_to=/dashboard)$", out, re.M)
    assert login is not None, out
    base = login[1].split("/auth/", 1)[0]
    browser = Browser()
    start = browser.get(login[1])
    assert start.status == 302, start.body
    done = browser.get(provider_login(browser, start.location))
    assert (done.status, done.headers["location"]) == (302, "/dashboard"), done.body
    me = browser.get(f"{base}/auth/me")
    assert me.status == 200, me.body
    body = json.loads(me.body)
    assert body["signed_in"] is True
    assert body["claims"]["sub"] == SUB
    assert run.interrupt() == 0
    assert "stopped" in run.wait_for("stopped", timeout=10)


def test_the_output_says_what_to_register_open_and_export(
    served: tuple[Served, str, NodeProvider],
) -> None:
    """The client id, the parameters created, the cookie caveat and the AWS variables."""
    _, out, _ = served
    for needle in (
        f"client id     {CLIENT_ID}",
        "parameter  /identity/singpass/rp-signing-jwk",
        "__Host- cookies (Secure)",
        "export AWS_ENDPOINT_URL=http://127.0.0.1:",
    ):
        assert needle in out, out
    assert '"d"' not in out  # no private key material is printed


def test_without_a_local_issuer_exit_2_with_the_fix(repo: Path) -> None:
    """The blueprint's issuer is Singpass staging: exit 2, what is wrong, the fix, no traceback."""
    result = subprocess.run(
        [str(TRELLIS), "run", "citizen-login", "--repo", str(repo), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert (
        "https://stg-id.singpass.gov.sg/fapi, which is not an OpenID provider on this machine"
        in (result.stderr)
    )
    assert "fix: start a local provider" in result.stderr
    assert "--issuer http://127.0.0.1:PORT" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_taken_port_is_a_user_error(repo: Path) -> None:
    """A port something listens on already: exit 2, the port named, the fix, no traceback."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [str(TRELLIS), "run", "citizen-login", "--repo", str(repo),
             "--issuer", "http://127.0.0.1:9", "--port", str(port)],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    assert result.returncode == 2
    assert f"--port: cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "fix: pass another --port, or --port 0" in result.stderr
    assert "Traceback" not in result.stderr
