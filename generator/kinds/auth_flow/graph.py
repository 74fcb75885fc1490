"""The data flow of this kind as boxes and arrows (drawn by :mod:`generator.graph`)."""

from __future__ import annotations

from typing import Any

from generator.graph.model import Edge, Node
from generator.kinds.auth_flow.resources import AuthFlowResources


def auth_flow_graph(r: AuthFlowResources, spec: Any) -> tuple[list[Node], list[Edge]]:
    """The data flow: browser, the five functions and Singpass, in redirect order."""
    nodes = [
        Node("browser", "browser", "external"),
        Node("api", f"HTTP API<br>{r.api_name}", "queue"),
        Node("login", f"login<br>{r.login.name}", "function"),
        Node("provider", f"Singpass ({spec.profile})<br>{spec.issuer}", "external"),
        Node("callback", f"callback<br>{r.callback.name}", "function"),
        Node("session", f"session<br>{r.session.name}", "function"),
        Node("logout", f"logout<br>{r.logout.name}", "function"),
        Node("jwks", f"jwks<br>{r.jwks.name}", "function"),
        Node("ssm", "SSM parameters<br>client id, keys, state key ring, public JWKS", "store"),
    ]
    fapi2 = spec.profile == "fapi2"
    edges = [
        Edge("browser", "api", "/auth/*"),
        Edge("api", "login", "GET /auth/login"),
        Edge("login", "provider", "PAR + redirect" if fapi2 else "redirect"),
        Edge("provider", "callback", f"redirect to {spec.redirect_path}"),
        Edge(
            "callback",
            "provider",
            "token exchange (DPoP)" if fapi2 else "token exchange",
        ),
        Edge("callback", "browser", "sealed session cookie"),
        Edge("api", "session", "GET /auth/me"),
        Edge("api", "logout", "/auth/logout"),
        Edge("provider", "jwks", "fetches RP keys"),
        Edge("ssm", "callback", "keys"),
    ]
    return nodes, edges
