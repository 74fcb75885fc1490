"""CKV_TRL_3: a queue that drives a function hides a message for six times its timeout."""

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

CHECK_ID = "CKV_TRL_3"
MULTIPLE = 6
SQS_DEFAULT_VISIBILITY = 30  # seconds, when visibility_timeout_seconds is not set
LAMBDA_DEFAULT_TIMEOUT = 3  # seconds, when timeout is not set


def _seconds(value: Any, default: int) -> int | None:
    """An integer number of seconds, the AWS default when unset, ``None`` when unresolved."""
    value = links.first(value)
    if value is None:
        return default
    try:
        return int(str(value))
    except ValueError:
        return None


class VisibilityTimeoutSolver(BaseSolver):
    """For every event source mapping from an SQS queue to a function, the queue's
    visibility timeout must be at least six times the function's timeout (AWS guidance),
    so a message is not delivered again while a slow invocation still works on it. The
    queue is the reported resource; a value checkov cannot resolve fails (fail safe)."""

    def __init__(self) -> None:
        super().__init__(SolverType.COMPLEX)

    def get_operation(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    def _get_operation(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    def run(self, graph_connector: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        graph = links.Graph(graph_connector)
        verdict: dict[int, bool] = {}
        for mapping in graph.of_type("aws_lambda_event_source_mapping"):
            for queue in graph.queues_of(mapping):
                visibility = _seconds(
                    graph.vertices[queue].get("visibility_timeout_seconds"), SQS_DEFAULT_VISIBILITY
                )
                for function in graph.functions_of(mapping):
                    timeout = _seconds(graph.vertices[function].get("timeout"), LAMBDA_DEFAULT_TIMEOUT)
                    ok = visibility is not None and timeout is not None and visibility >= MULTIPLE * timeout
                    verdict[queue] = verdict.get(queue, True) and ok
        passed = [graph.vertices[q] for q, ok in sorted(verdict.items()) if ok]
        failed = [graph.vertices[q] for q, ok in sorted(verdict.items()) if not ok]
        return passed, failed, []


def _register() -> None:
    registry = get_graph_checks_registry("terraform")
    if any(c.id == CHECK_ID for c in registry.checks):
        return
    check = BaseGraphCheck()
    check.id = CHECK_ID
    check.name = (
        "Ensure an SQS queue that drives a Lambda function has a visibility timeout of at "
        "least six times the function's timeout"
    )
    check.category = "GENERAL_SECURITY"
    check.guideline = (
        "Set the queue's visibility_timeout_seconds to at least 6 x the consuming function's "
        "timeout (blueprint: processing.timeout_seconds * 6 <= visibility timeout)."
    )
    check.resource_types = ["aws_sqs_queue"]
    check.solver = VisibilityTimeoutSolver()
    check.check_path = __file__
    registry.checks.append(check)


_register()
