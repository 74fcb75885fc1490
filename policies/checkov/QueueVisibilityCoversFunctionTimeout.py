"""CKV_TRL_3: a queue that drives a function hides a message for six times its timeout."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any


def _links() -> ModuleType:
    """``_graph_links.py`` beside this file (checkov runs check files standalone)."""
    name = "_trellis_graph_links"
    if name not in sys.modules:
        here = Path(__file__).with_name("_graph_links.py")
        spec = importlib.util.spec_from_file_location(name, here)
        assert spec and spec.loader
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


links = _links()

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


class VisibilityTimeoutSolver(links.GraphSolver):
    """For every event source mapping from an SQS queue to a function, the queue's
    visibility timeout must be at least six times the function's timeout (AWS guidance),
    so a message is not delivered again while a slow invocation still works on it. The
    queue is the reported resource; a value checkov cannot resolve fails (fail safe)."""

    def verdicts(self, graph: links.Graph) -> dict[int, bool]:
        verdict: dict[int, bool] = {}
        for mapping in graph.of_type("aws_lambda_event_source_mapping"):
            for queue in graph.queues_of(mapping):
                visibility = _seconds(
                    graph.vertices[queue].get("visibility_timeout_seconds"), SQS_DEFAULT_VISIBILITY
                )
                for function in graph.functions_of(mapping):
                    timeout = _seconds(
                        graph.vertices[function].get("timeout"), LAMBDA_DEFAULT_TIMEOUT
                    )
                    ok = (
                        visibility is not None
                        and timeout is not None
                        and visibility >= MULTIPLE * timeout
                    )
                    verdict[queue] = verdict.get(queue, True) and ok
        return verdict


links.register(
    check_id="CKV_TRL_3",
    name="Ensure an SQS queue that drives a Lambda function has a visibility timeout of at "
    "least six times the function's timeout",
    category="GENERAL_SECURITY",
    guideline="Set the queue's visibility_timeout_seconds to at least 6 x the consuming "
    "function's timeout (blueprint: processing.timeout_seconds * 6 <= visibility timeout).",
    resource_types=["aws_sqs_queue"],
    solver=VisibilityTimeoutSolver(),
    path=__file__,
)
