"""CKV_TRL_1: a Lambda function sends failed events somewhere."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

from checkov.common.checks_infra.registry import get_graph_checks_registry
from checkov.common.graph.checks_infra.base_check import BaseGraphCheck
from checkov.common.graph.checks_infra.enums import SolverType
from checkov.common.graph.checks_infra.solvers.base_solver import BaseSolver

_spec = importlib.util.spec_from_file_location("_trellis_graph_links", Path(__file__).with_name("_graph_links.py"))
assert _spec and _spec.loader
links = sys.modules.get("_trellis_graph_links") or importlib.util.module_from_spec(_spec)
if "_trellis_graph_links" not in sys.modules:
    sys.modules["_trellis_graph_links"] = links
    _spec.loader.exec_module(links)

CHECK_ID = "CKV_TRL_1"


class FailureDestinationSolver(BaseSolver):
    """A function passes with a dead-letter queue, an on-failure destination (its event
    invoke config's, or its event source mapping's), or an SQS source queue that has a
    redrive policy. Every function fails otherwise; nothing else is reported."""

    def __init__(self) -> None:
        super().__init__(SolverType.COMPLEX)

    def get_operation(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    def _get_operation(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    def run(self, graph_connector: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        graph = links.Graph(graph_connector)
        caught: set[int] = set()
        for config in graph.of_type("aws_lambda_function_event_invoke_config"):
            if links.attribute(graph.vertices[config], "destination_config.on_failure.destination"):
                caught.update(graph.functions_of(config))
        for mapping in graph.of_type("aws_lambda_event_source_mapping"):
            vertex = graph.vertices[mapping]
            queues = graph.queues_of(mapping)
            redriven = any(links.attribute(graph.vertices[q], "redrive_policy") for q in queues)
            if redriven or links.attribute(vertex, "destination_config.on_failure.destination_arn"):
                caught.update(graph.functions_of(mapping))
        passed, failed = [], []
        for function in graph.of_type("aws_lambda_function"):
            vertex = graph.vertices[function]
            if function in caught or links.attribute(vertex, "dead_letter_config.target_arn"):
                passed.append(vertex)
            else:
                failed.append(vertex)
        return passed, failed, []


def _register() -> None:
    registry = get_graph_checks_registry("terraform")
    if any(c.id == CHECK_ID for c in registry.checks):
        return
    check = BaseGraphCheck()
    check.id = CHECK_ID
    check.name = (
        "Ensure a Lambda function sends failed events somewhere: a dead-letter queue, an "
        "on-failure destination, or an SQS source queue with a redrive policy"
    )
    check.category = "GENERAL_SECURITY"
    check.guideline = (
        "Failures are caught, not lost: set dead_letter_config, or an "
        "aws_lambda_function_event_invoke_config with destination_config.on_failure, or make "
        "the function SQS-driven from a queue whose redrive_policy names a dead-letter queue."
    )
    check.resource_types = ["aws_lambda_function"]
    check.solver = FailureDestinationSolver()
    check.check_path = __file__
    registry.checks.append(check)


_register()
