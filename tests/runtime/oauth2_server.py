"""panva's ``oidc-provider`` from npm as the OAuth2 authorization server of the source tests.

:func:`start_authorization_server` runs ``providers/oauth2_server.mjs`` with node on a
free port of 127.0.0.1 and returns once it listens. Clients use the client credentials
grant with ``client_secret_basic`` or ``client_secret_post``; the test API checks the
tokens it receives through the server's introspection endpoint (RFC 7662), as a
resource server would.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import threading
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from tests.runtime.support import free_port

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).parent / "providers" / "oauth2_server.mjs"
SCOPE = "tickets:read"
BASIC_CLIENT = ("ingest-basic", "basic-secret-0f6c1b9e4d2a7358c0e1f2a3b4c5d6e7")
POST_CLIENT = ("ingest-post", "post-secret-9a8b7c6d5e4f30211f2e3d4c5b6a7988")
INTROSPECTOR = ("tickets-api", "api-secret-5d4c3b2a19080706f5e4d3c2b1a09f8e")


@dataclass
class AuthorizationServer:
    """A running authorization server: its issuer URL and process."""

    issuer: str
    process: subprocess.Popen[str]

    @property
    def token_url(self) -> str:
        """The token endpoint."""
        return f"{self.issuer}/token"

    def introspect(self, token: str) -> bool:
        """Whether ``token`` is an active access token with the tickets scope (RFC 7662)."""
        basic = base64.b64encode(f"{INTROSPECTOR[0]}:{INTROSPECTOR[1]}".encode()).decode()
        request = urllib.request.Request(
            f"{self.issuer}/token/introspection",
            data=urlencode({"token": token}).encode(),
            headers={"Authorization": f"Basic {basic}"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            answer = json.loads(response.read())
        return bool(answer.get("active")) and SCOPE in str(answer.get("scope", "")).split()

    def stop(self) -> None:
        """End the node process."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_authorization_server(workdir: Path, *, token_ttl: int = 600) -> AuthorizationServer:
    """Start oidc-provider with the two clients and the introspecting API.

    Raises:
        RuntimeError: node or the npm package is missing (``make install``), or the server
            did not start.
    """
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").is_dir():
        raise RuntimeError("node and node_modules/oidc-provider are needed: run make install")
    port = free_port()
    config = {
        "port": port,
        "scope": SCOPE,
        "token_ttl": token_ttl,
        "clients": [
            {"client_id": BASIC_CLIENT[0], "client_secret": BASIC_CLIENT[1], "auth": "basic"},
            {"client_id": POST_CLIENT[0], "client_secret": POST_CLIENT[1], "auth": "post"},
        ],
        "introspector": {"client_id": INTROSPECTOR[0], "client_secret": INTROSPECTOR[1]},
    }
    path = workdir / "oauth2.json"
    path.write_text(json.dumps(config))
    process = subprocess.Popen(
        [node, str(SCRIPT), str(path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    ready: list[str] = []
    reader = threading.Thread(
        target=lambda: ready.append(process.stdout.readline() if process.stdout else ""),
        daemon=True,
    )
    reader.start()
    reader.join(timeout=30)
    if not ready or not ready[0].startswith("READY "):
        process.kill()
        raise RuntimeError(f"oidc-provider did not start: {ready}")
    return AuthorizationServer(issuer=ready[0].split()[1], process=process)
