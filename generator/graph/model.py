"""The data flow of one deployment as nodes and edges, derived from the deployment model.

The graph says what a reviewer needs to picture the blueprint: where data comes from,
which function handles it, where it is stored, where failures go and who is alerted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from generator.model.deployment import (
    AuthFlowResources,
    Deployment,
    IngestionResources,
    StaticSiteResources,
)

Shape = Literal["external", "function", "queue", "store", "topic", "edge", "schedule"]


@dataclass(frozen=True)
class Node:
    """One box: ``id`` is a stable identifier, ``label`` what a person reads."""

    id: str
    label: str
    shape: Shape


@dataclass(frozen=True)
class Edge:
    """A flow from one node to another, with an optional label."""

    source: str
    target: str
    label: str = ""


@dataclass(frozen=True)
class Graph:
    """A titled, ordered set of nodes and edges (order is the drawing order)."""

    title: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


def graph_of(deployment: Deployment) -> Graph:
    """The data-flow graph of ``deployment``."""
    resources = deployment.resources
    title = f"{deployment.blueprint} ({deployment.kind}) in {deployment.target.env}"
    if isinstance(resources, IngestionResources):
        nodes, edges = _ingestion(resources, deployment.spec)
    elif isinstance(resources, AuthFlowResources):
        nodes, edges = _auth_flow(resources, deployment.spec)
    elif isinstance(resources, StaticSiteResources):
        nodes, edges = _static_site(resources, deployment.spec)
    else:  # pragma: no cover - the three kinds are exhaustive
        msg = f"no graph for {type(resources).__name__}"
        raise TypeError(msg)
    return Graph(title=title, nodes=tuple(nodes), edges=tuple(edges))


def _ingestion(r: IngestionResources, spec: Any) -> tuple[list[Node], list[Edge]]:
    nodes = []
    edges = []
    if r.retrieve is not None:
        nodes += [
            Node("schedule", f"schedule<br>{spec.trigger.schedule}", "schedule"),
            Node("source", f"HTTP source<br>{spec.source.http.url}", "external"),
            Node("retrieve", f"retrieve<br>{r.retrieve.name}", "function"),
        ]
        edges += [
            Edge("schedule", "retrieve", "starts"),
            Edge("source", "retrieve", f"pages, {spec.retrieval.concurrency} at a time"),
            Edge("retrieve", "queue", "raw records"),
        ]
    else:
        nodes.append(Node("producers", "other producers", "external"))
        edges.append(Edge("producers", "queue", "raw records"))
    nodes += [
        Node("queue", f"queue<br>{r.queue_name}", "queue"),
        Node("process", f"process<br>{r.process.name}", "function"),
        Node("table", f"DynamoDB<br>{r.table_name}", "store"),
        Node("backup", f"versioned S3<br>{r.backup_bucket}", "store"),
        Node("dlq", f"dead letters<br>{r.dlq_name}", "queue"),
        Node("alarms", f"alarms<br>{r.alarm_topic_name}", "topic"),
    ]
    edges += [
        Edge("queue", "process", f"batches of {spec.processing.batch_size}"),
        Edge("process", "table", "changed records"),
        Edge("process", "backup", "raw payloads"),
        Edge("queue", "dlq", f"after {spec.dead_letter.max_receive_count} receives"),
        Edge("dlq", "alarms", f"≥ {spec.alarms.dlq_messages} messages"),
        Edge("process", "alarms", f"error rate > {spec.alarms.error_rate}"),
    ]
    return nodes, edges


def _auth_flow(r: AuthFlowResources, spec: Any) -> tuple[list[Node], list[Edge]]:
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


def _static_site(r: StaticSiteResources, spec: Any) -> tuple[list[Node], list[Edge]]:
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
