"""The data flow of this kind as boxes and arrows (drawn by :mod:`generator.graph`)."""

from __future__ import annotations

from typing import Any

from generator.graph.model import Edge, Node
from generator.kinds.auth_flow.resources import AuthFlowResources


def auth_flow_graph(r: AuthFlowResources, spec: Any) -> tuple[list[Node], list[Edge]]:
    """The data flow: browser, login functions and the Singpass provider, in redirect order."""
    nodes = [
        Node("browser", "browser", "external"),
        Node("login", f"login<br>{r.login.name}", "function"),
        Node("provider", f"Singpass ({spec.profile})<br>{spec.issuer}", "external"),
        Node("callback", f"callback<br>{r.callback.name}", "function"),
        Node("jwks", f"jwks<br>{r.jwks.name}", "function"),
    ]
    edges = [
        Edge("browser", "login", "sign in"),
        Edge("login", "provider", "PAR + redirect"),
        Edge("provider", "callback", f"redirect to {spec.redirect_path}"),
        Edge("callback", "provider", "token exchange (DPoP)"),
        Edge("provider", "jwks", "fetches RP keys"),
        Edge("callback", "browser", "sealed session"),
    ]
    return nodes, edges
