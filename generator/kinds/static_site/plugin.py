"""``kind: StaticSite``: what it contributes to each stage (see ``kind_registry``)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from generator.kinds.base import KindPlugin, StackTemplates
from generator.kinds.static_site.graph import static_site_graph
from generator.kinds.static_site.resolve import static_site_resources
from generator.kinds.static_site.resources import StaticSiteResources
from generator.model.deployment import Deployment, Resources, Target

if TYPE_CHECKING:
    from generator.derive import StackRoles
    from generator.graph.model import Edge, Node


def _resources(deployment: Deployment) -> StaticSiteResources:
    resources = deployment.resources
    if not isinstance(resources, StaticSiteResources):  # an internal error: a wrong plugin
        msg = f"{deployment.key} is not a static site"
        raise TypeError(msg)
    return resources


class StaticSitePlugin(KindPlugin):
    """A private bucket behind CloudFront (and WAF), optionally fronting an AuthFlow."""

    kind = "StaticSite"
    references = MappingProxyType({"auth_flow": "AuthFlow"})
    cloudfront_domain = True

    def resources(
        self, blueprint: str, spec: Any, target: Target, kinds: Mapping[str, str]
    ) -> Resources:
        auth_flows = {name for name, kind in kinds.items() if kind == "AuthFlow"}
        return static_site_resources(blueprint, spec, target, auth_flows)

    def resource_names(self, resources: StaticSiteResources) -> list[str]:
        return [resources.bucket, resources.log_bucket, resources.kms_alias]

    def summary(self, resources: StaticSiteResources) -> dict[str, object]:
        return {"bucket": resources.bucket, "waf": resources.waf_enabled}

    def templates(self, deployment: Deployment, roles: StackRoles) -> StackTemplates:
        from generator.kinds.static_site.render import static_site_templates  # jinja2: render only

        return static_site_templates(deployment)

    def graph(self, deployment: Deployment) -> tuple[list[Node], list[Edge]]:
        return static_site_graph(_resources(deployment), deployment.spec)


PLUGIN = StaticSitePlugin()
