"""CKV_TRL_13: a function a schedule starts has an event invoke config capping its retries."""

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

INVOKE_CONFIG = "aws_lambda_function_event_invoke_config"


class ScheduledRetriesSolver(links.GraphSolver):
    """Every schedule is reported: it fails when a function it starts has no
    ``aws_lambda_function_event_invoke_config``. Without one, Lambda retries a failed
    asynchronous run twice over up to six hours, so a retry can overlap the next scheduled
    run (CKV_TRL_9 checks the config's values)."""

    def verdicts(self, graph: links.Graph) -> dict[int, bool]:
        configured: set[int] = set()
        for config in graph.of_type(INVOKE_CONFIG):
            configured.update(graph.functions_of(config))
        verdict: dict[int, bool] = {}
        for schedule in graph.of_type("aws_scheduler_schedule"):
            root = graph.root_of(schedule)
            functions = [
                f
                for f in graph.referenced(schedule, "aws_lambda_function")
                if graph.root_of(f) == root
            ]
            verdict[schedule] = bool(functions) and all(f in configured for f in functions)
        return verdict


links.register(
    check_id="CKV_TRL_13",
    name="Ensure a Lambda function started by a schedule has an event invoke config",
    category="GENERAL_SECURITY",
    guideline="Add an aws_lambda_function_event_invoke_config for the scheduled function with "
    "maximum_retry_attempts and maximum_event_age_in_seconds derived from the schedule's "
    "interval and the function's timeout.",
    resource_types=["aws_scheduler_schedule"],
    solver=ScheduledRetriesSolver(),
    path=__file__,
)
