"""``kind: AuthFlow``: what it contributes to each stage (see ``kind_registry``).

It resolves, validates and draws; it has no runtime and no renderer yet, so its
functions get no derived role (:meth:`KindPlugin.wiring` returns ``None``) and render
reports the stack as skipped (:meth:`KindPlugin.templates` raises). Adding them means
overriding ``wiring`` and ``templates`` here, next to ``derive.py`` and ``render.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from generator.kinds.auth_flow.graph import auth_flow_graph
from generator.kinds.auth_flow.resolve import auth_flow_resources
from generator.kinds.auth_flow.resources import AuthFlowResources
from generator.kinds.base import KindPlugin
from generator.model.deployment import Deployment, Resources, Target

if TYPE_CHECKING:
    from generator.graph.model import Edge, Node


def _resources(deployment: Deployment) -> AuthFlowResources:
    resources = deployment.resources
    if not isinstance(resources, AuthFlowResources):  # an internal error: a wrong plugin
        msg = f"{deployment.key} is not a login flow"
        raise TypeError(msg)
    return resources


class AuthFlowPlugin(KindPlugin):
    """A Singpass login: login → provider → callback, with the RP's keys on jwks."""

    kind = "AuthFlow"

    def resources(
        self, blueprint: str, spec: Any, target: Target, kinds: Mapping[str, str]
    ) -> Resources:
        return auth_flow_resources(blueprint, target)

    def resource_names(self, resources: AuthFlowResources) -> list[str]:
        return [resources.api_name, resources.kms_alias]

    def summary(self, resources: AuthFlowResources) -> dict[str, object]:
        return {"api": resources.api_name}

    def graph(self, deployment: Deployment) -> tuple[list[Node], list[Edge]]:
        return auth_flow_graph(_resources(deployment), deployment.spec)


PLUGIN = AuthFlowPlugin()
