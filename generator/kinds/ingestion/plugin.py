"""``kind: IngestionPipeline``: what it contributes to each stage (see ``kind_registry``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from generator.kinds.base import KindPlugin, StackTemplates
from generator.kinds.ingestion.graph import ingestion_graph
from generator.kinds.ingestion.resolve import ingestion_resources
from generator.kinds.ingestion.resources import IngestionResources
from generator.model.deployment import Deployment, Function, Resources, Target

if TYPE_CHECKING:
    from generator.derive import StackRoles
    from generator.graph.model import Edge, Node
    from generator.iam.wiring import FunctionWiring


def _resources(deployment: Deployment) -> IngestionResources:
    resources = deployment.resources
    if not isinstance(resources, IngestionResources):  # an internal error: a wrong plugin
        msg = f"{deployment.key} is not an ingestion pipeline"
        raise TypeError(msg)
    return resources


class IngestionPlugin(KindPlugin):
    """A scheduled or queue-fed pipeline: retrieve → queue → process → table + backups."""

    kind = "IngestionPipeline"
    local_run = "pipeline"

    def resources(
        self, blueprint: str, spec: Any, target: Target, kinds: Mapping[str, str]
    ) -> Resources:
        return ingestion_resources(blueprint, spec, target)

    def resource_names(self, resources: IngestionResources) -> list[str]:
        names = [
            resources.queue_name,
            resources.dlq_name,
            resources.table_name,
            resources.backup_bucket,
            resources.alarm_topic_name,
            resources.kms_alias,
        ]
        optional = (
            resources.schedule_name,
            resources.scheduler_role_name,
            resources.async_failures_name,
            resources.schedule_failures_name,
        )
        return names + [n for n in optional if n]

    def summary(self, resources: IngestionResources) -> dict[str, object]:
        return {
            "queue": resources.queue_name,
            "table": resources.table_name,
            "backup_bucket": resources.backup_bucket,
            "trigger": "schedule" if resources.schedule_name else "queue",
        }

    def wiring(self, deployment: Deployment, function: Function) -> FunctionWiring | None:
        from generator.kinds.ingestion.derive import ingestion_wiring  # IAM: derive only

        return ingestion_wiring(deployment, _resources(deployment), function)

    def templates(self, deployment: Deployment, roles: StackRoles) -> StackTemplates:
        from generator.kinds.ingestion.render import ingestion_templates  # jinja2: render only

        return ingestion_templates(deployment)

    def graph(self, deployment: Deployment) -> tuple[list[Node], list[Edge]]:
        return ingestion_graph(_resources(deployment), deployment.spec)


PLUGIN = IngestionPlugin()
