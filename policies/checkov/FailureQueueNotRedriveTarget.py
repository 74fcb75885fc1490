"""CKV_TRL_12: a queue's redrive DLQ is not also a function's or a schedule's DLQ."""

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

FAILURE_SENDERS = ("aws_lambda_function", "aws_scheduler_schedule")


class SeparateDeadLetterQueuesSolver(links.GraphSolver):
    """Every queue that another queue's ``redrive_policy`` dead-letters into is reported:
    it fails when a Lambda function (``dead_letter_config``) or a schedule (its target's
    ``dead_letter_config``) also sends its failures there. Redriving such a queue would feed
    Lambda's and Scheduler's failure events into the records' processing."""

    def verdicts(self, graph: links.Graph) -> dict[int, bool]:
        redrive_targets: set[int] = set()
        for queue in graph.of_type("aws_sqs_queue"):
            if not links.attribute(graph.vertices[queue], "redrive_policy"):
                continue
            root = graph.root_of(queue)
            for target in graph.referenced(queue, "aws_sqs_queue"):
                if target != queue and graph.root_of(target) == root:
                    redrive_targets.add(target)
        shared: set[int] = set()
        for sender_type in FAILURE_SENDERS:
            for sender in graph.of_type(sender_type):
                root = graph.root_of(sender)
                for queue in graph.referenced(sender, "aws_sqs_queue"):
                    if queue in redrive_targets and graph.root_of(queue) == root:
                        shared.add(queue)
        return {queue: queue not in shared for queue in redrive_targets}


links.register(
    check_id="CKV_TRL_12",
    name="Ensure a queue's dead-letter queue is not also a Lambda function's or a "
    "schedule's dead-letter queue",
    category="GENERAL_SECURITY",
    guideline="Give asynchronous invocation failures and undeliverable schedule events "
    "queues of their own (redrive_allow_policy denyAll); the records' DLQ takes only records.",
    resource_types=["aws_sqs_queue"],
    solver=SeparateDeadLetterQueuesSolver(),
    path=__file__,
)
