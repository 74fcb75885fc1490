"""The data flow of one deployment as nodes and edges, derived from the deployment model.

The graph says what a reviewer needs to picture the blueprint: where data comes from,
which function handles it, where it is stored, where failures go and who is alerted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.kind_registry import plugin
from generator.model.deployment import Deployment

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
    title = f"{deployment.blueprint} ({deployment.kind}) in {deployment.target.env}"
    nodes, edges = plugin(deployment.kind).graph(deployment)
    return Graph(title=title, nodes=tuple(nodes), edges=tuple(edges))
