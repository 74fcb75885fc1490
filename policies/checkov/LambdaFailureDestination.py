"""CKV_TRL_1: a Lambda function sends failed events somewhere."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


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


class FailureDestinationSolver(links.GraphSolver):
    """A function passes with a dead-letter queue, an on-failure destination (its event
    invoke config's, or its event source mapping's), or an SQS source queue that has a
    redrive policy. Every function fails otherwise; nothing else is reported."""

    def verdicts(self, graph: links.Graph) -> dict[int, bool]:
        caught: set[int] = set()
        for config in graph.of_type("aws_lambda_function_event_invoke_config"):
            if links.attribute(graph.vertices[config], "destination_config.on_failure.destination"):
                caught.update(graph.functions_of(config))
        for mapping in graph.of_type("aws_lambda_event_source_mapping"):
            queues = graph.queues_of(mapping)
            redriven = any(links.attribute(graph.vertices[q], "redrive_policy") for q in queues)
            on_failure = links.attribute(
                graph.vertices[mapping], "destination_config.on_failure.destination_arn"
            )
            if redriven or on_failure:
                caught.update(graph.functions_of(mapping))
        return {
            function: function in caught
            or bool(links.attribute(graph.vertices[function], "dead_letter_config.target_arn"))
            for function in graph.of_type("aws_lambda_function")
        }


links.register(
    check_id="CKV_TRL_1",
    name="Ensure a Lambda function sends failed events somewhere: a dead-letter queue, an "
    "on-failure destination, or an SQS source queue with a redrive policy",
    category="GENERAL_SECURITY",
    guideline="Failures are caught, not lost: set dead_letter_config, or an "
    "aws_lambda_function_event_invoke_config with destination_config.on_failure, or make the "
    "function SQS-driven from a queue whose redrive_policy names a dead-letter queue.",
    resource_types=["aws_lambda_function"],
    solver=FailureDestinationSolver(),
    path=__file__,
)
