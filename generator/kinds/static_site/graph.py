"""The data flow of this kind as boxes and arrows (drawn by :mod:`generator.graph`)."""

from __future__ import annotations

from typing import Any

from generator.graph.model import Edge, Node
from generator.kinds.static_site.resources import StaticSiteResources


def static_site_graph(r: StaticSiteResources, spec: Any) -> tuple[list[Node], list[Edge]]:
    """The data flow: viewer, WAF, CDN, buckets and the login API behind /auth/*."""
    nodes = [
        Node("viewer", "viewer", "external"),
        Node("cdn", f"CloudFront<br>{spec.domain or 'default domain'}", "edge"),
        Node("site", f"private S3<br>{r.bucket}", "store"),
        Node("logs", f"access logs<br>{r.log_bucket}", "store"),
    ]
    edges = [
        Edge("viewer", "cdn", "HTTPS"),
        Edge("cdn", "site", "origin access control"),
        Edge("cdn", "logs", "access logs"),
    ]
    if r.waf_enabled:
        nodes.insert(1, Node("waf", "AWS WAF<br>managed rules", "edge"))
        edges[0] = Edge("viewer", "waf", "HTTPS")
        edges.insert(1, Edge("waf", "cdn", "allowed"))
    if r.auth_api_name:
        nodes.append(Node("auth", f"{spec.auth_flow}<br>{r.auth_api_name}", "function"))
        edges.append(Edge("cdn", "auth", "/auth/*"))
    return nodes, edges
