"""Helpers for trellis' Python graph checks (not a check itself: it registers nothing).

checkov's YAML connection checks follow one edge (or one module output) between two
resource types. Two practices need more: following a function to its event source
mapping to its queue, and comparing numbers on both ends. The checks that need it load
this file by path (checkov executes external check files standalone, not as a package).

Two facts about checkov 3.3.30 shape the helpers:

* One scan may hold many root stacks, whose addresses repeat (every stack has
  ``module.process.aws_lambda_function.this``); candidates are limited to the root stack of
  the block that refers to them, found through the module call chain.
* Graph edges run from the referring block to the referred one, through ``output`` /
  ``module`` / ``variable`` / ``locals`` vertices when a reference crosses a module.
* When one module source is called twice in a stack, checkov links a reference to
  ``module.<b>.<output>`` to the output vertex of another instance, and renders the value
  from there too (``module.retrieval.name`` becomes the processing function's name). So the
  reference is read from the block's own source text: ``module.<b>.`` picks the module
  instance by address, the graph edge picks the resource inside the module, and a literal
  name or ARN is matched against the resolved names.
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from typing import Any

from checkov.common.checks_infra.registry import get_graph_checks_registry
from checkov.common.graph.checks_infra.base_check import BaseGraphCheck
from checkov.common.graph.checks_infra.enums import SolverType
from checkov.common.graph.checks_infra.solvers.base_solver import BaseSolver

Vertices = list[dict[str, Any]]

RESOURCE = "resource"
BLOCK_TYPE = "block_type_"
RESOURCE_TYPE = "resource_type"
_PASS_THROUGH = {"output", "module", "variable", "locals"}
_MODULE_REF = re.compile(r"^module\.([A-Za-z0-9_-]+)\.")
_RESOURCE_REF = re.compile(r"^([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\.")


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

    def root_of(self, index: int) -> str:
        """The directory of the root stack a vertex belongs to (through its module callers)."""
        vertex = self.vertices[index]
        caller: Any = vertex.get("source_module_object_")
        path = str(vertex.get("file_path_") or "")
        while caller:
            if isinstance(caller, dict):
                path, caller = str(caller.get("path") or path), caller.get("nested_tf_module")
            else:
                path, caller = (
                    str(getattr(caller, "path", path)),
                    getattr(caller, "nested_tf_module", None),
                )
        return str(Path(path).parent)

    def of_type(self, resource_type: str) -> list[int]:
        """Indices of the resource vertices of ``resource_type``."""
        return [
            i
            for i, v in enumerate(self.vertices)
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

    def source_expression(self, index: int, name: str) -> str | None:
        """The expression of argument ``name`` as written in the block's source text."""
        vertex = self.vertices[index]
        config = first(vertex.get("config_"))
        body: Any = None
        if isinstance(config, dict):
            for per_type in config.values():
                body = next(iter(per_type.values()), None) if isinstance(per_type, dict) else None
        if not isinstance(body, dict) or not vertex.get("file_path_"):
            return None
        try:
            lines = Path(vertex["file_path_"]).read_text(encoding="utf-8").splitlines()
        except OSError:
            return None
        block = "\n".join(lines[body["__start_line__"] - 1 : body["__end_line__"]])
        match = re.search(rf"^\s*{re.escape(name)}\s*=\s*(.+?)\s*$", block, re.MULTILINE)
        return match.group(1) if match else None

    def targets(self, start: int, argument: str, resource_type: str, name_key: str) -> list[int]:
        """Resources of ``resource_type`` that argument ``argument`` of ``start`` refers to.

        ``module.<b>.<output>`` selects the module instance by address and the resource in
        it by the graph edge; ``<type>.<name>.<attr>`` selects that resource; a literal is
        matched against each candidate's resolved ``name_key`` (a name or an ARN's last part).
        """
        address = str(self.vertices[start].get("__address__") or "")
        own_prefix = address[: address.rfind(f"{self.vertices[start].get(RESOURCE_TYPE)}.")]
        root = self.root_of(start)
        candidates = [i for i in self.of_type(resource_type) if self.root_of(i) == root]
        by_edge = [i for i in self.referenced(start, resource_type) if self.root_of(i) == root]
        expression = self.source_expression(start, argument) or ""
        module = _MODULE_REF.match(expression)
        if module:
            prefix = f"{own_prefix}module.{module.group(1)}."
            inside = [
                i for i in candidates if str(self.vertices[i].get("__address__")).startswith(prefix)
            ]
            names = {self.vertices[i].get("block_name_") for i in by_edge}
            narrowed = [i for i in inside if self.vertices[i].get("block_name_") in names]
            return narrowed or inside
        resource = _RESOURCE_REF.match(expression)
        if resource and resource.group(1) == resource_type:
            wanted = f"{own_prefix}{resource.group(1)}.{resource.group(2)}"
            return [i for i in candidates if self.vertices[i].get("__address__") == wanted]
        value = first(self.vertices[start].get(argument))
        if isinstance(value, str) and value:
            short = re.split(r"[:/]", value)[-1]
            matches = [
                i for i in candidates if first(self.vertices[i].get(name_key)) in (value, short)
            ]
            if matches:
                return matches
        return by_edge

    def functions_of(self, start: int) -> list[int]:
        """Lambda functions a mapping or invoke config names in ``function_name``."""
        return self.targets(start, "function_name", "aws_lambda_function", "function_name")

    def queues_of(self, start: int) -> list[int]:
        """SQS queues an event source mapping reads from (``event_source_arn``)."""
        return self.targets(start, "event_source_arn", "aws_sqs_queue", "name")


class GraphSolver(BaseSolver):
    """A solver whose ``verdicts`` decide pass or fail per subject vertex.

    Subclasses implement :meth:`verdicts` over a :class:`Graph`; vertices they leave out
    are not reported. checkov calls ``run(graph_connector=...)`` and swallows exceptions
    raised there, so keep ``verdicts`` free of surprises.
    """

    def __init__(self) -> None:
        super().__init__(SolverType.COMPLEX)

    def get_operation(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    def _get_operation(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    def verdicts(self, graph: Graph) -> dict[int, bool]:
        """``{vertex index: passed}`` for every subject the check has an opinion on."""
        raise NotImplementedError

    def run(self, graph_connector: Any) -> tuple[Vertices, Vertices, Vertices]:
        graph = Graph(graph_connector)
        decided = sorted(self.verdicts(graph).items())
        passed = [graph.vertices[i] for i, ok in decided if ok]
        failed = [graph.vertices[i] for i, ok in decided if not ok]
        return passed, failed, []


def register(
    check_id: str,
    name: str,
    category: str,
    guideline: str,
    resource_types: list[str],
    solver: GraphSolver,
    path: str,
) -> None:
    """Add a graph check to checkov's Terraform graph registry (once per process)."""
    registry = get_graph_checks_registry("terraform")
    if any(c.id == check_id for c in registry.checks):
        return
    check = BaseGraphCheck()
    check.id = check_id
    check.name = name
    check.category = category
    check.guideline = guideline
    check.resource_types = resource_types
    check.solver = solver
    check.check_path = path
    registry.checks.append(check)
