"""Helpers for trellis' Python graph checks (not a check itself: it registers nothing).

checkov's YAML connection checks follow one edge (or one module output) between two
resource types. Two practices need more: following a function to its event source
mapping to its queue, and comparing numbers on both ends. The checks that need it load
this file by path (checkov executes external check files standalone, not as a package).

Two facts about checkov 3.3.30 shape the helpers:

* Graph edges run from the referring block to the referred one, through ``output`` /
  ``module`` / ``variable`` / ``locals`` vertices when a reference crosses a module.
* When one module source is called twice in a stack, checkov links a reference to
  ``module.<b>.<output>`` to the output vertex of the *first* instance. Edges to Lambda
  functions are therefore matched by the function's resolved name, which checkov renders
  correctly, and edges are used only when no name matches.
"""

from __future__ import annotations

from collections import deque
from typing import Any

RESOURCE = "resource"
BLOCK_TYPE = "block_type_"
RESOURCE_TYPE = "resource_type"
_PASS_THROUGH = {"output", "module", "variable", "locals"}


def first(value: Any) -> Any:
    """The value checkov stores, unwrapped from its one-element list."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def attribute(vertex: dict[str, Any], path: str) -> Any:
    """A nested attribute by dotted path (``destination_config.on_failure.destination``)."""
    if path in vertex:
        return first(vertex[path])
    current: Any = vertex
    for part in path.split("."):
        current = first(current)
        if not isinstance(current, dict) or part not in current:
            return None
        current = current[part]
    return first(current)


class Graph:
    """Vertices and outbound edges of checkov's graph (rustworkx or networkx)."""

    def __init__(self, graph_connector: Any) -> None:
        if hasattr(graph_connector, "edge_list"):  # rustworkx.PyDiGraph
            self.vertices = [data for _, data in graph_connector.nodes()]
            edges = list(graph_connector.edge_list())
        else:  # networkx.DiGraph
            ids = list(graph_connector.nodes())
            position = {node: i for i, node in enumerate(ids)}
            self.vertices = [graph_connector.nodes[node] for node in ids]
            edges = [(position[u], position[v]) for u, v in graph_connector.edges()]
        self.out: dict[int, list[int]] = {}
        for u, v in edges:
            self.out.setdefault(u, []).append(v)

    def of_type(self, resource_type: str) -> list[int]:
        """Indices of the resource vertices of ``resource_type``."""
        return [
            i for i, v in enumerate(self.vertices)
            if v.get(BLOCK_TYPE) == RESOURCE and v.get(RESOURCE_TYPE) == resource_type
        ]

    def referenced(self, start: int, resource_type: str) -> list[int]:
        """Resources of ``resource_type`` that ``start`` refers to, across module outputs."""
        found: list[int] = []
        seen = {start}
        queue = deque([start])
        while queue:
            current = queue.popleft()
            for target in self.out.get(current, []):
                if target in seen:
                    continue
                seen.add(target)
                vertex = self.vertices[target]
                if vertex.get(BLOCK_TYPE) == RESOURCE:
                    if vertex.get(RESOURCE_TYPE) == resource_type:
                        found.append(target)
                elif vertex.get(BLOCK_TYPE) in _PASS_THROUGH:
                    queue.append(target)
        return found

    def functions_of(self, start: int) -> list[int]:
        """Lambda functions a mapping or invoke config names, by resolved name first."""
        name = first(self.vertices[start].get("function_name"))
        if isinstance(name, str):
            short = name.rsplit(":function:", 1)[-1].split(":")[0]
            matches = [
                i for i in self.of_type("aws_lambda_function")
                if first(self.vertices[i].get("function_name")) in (name, short)
            ]
            if matches:
                return matches
        return self.referenced(start, "aws_lambda_function")
