"""``kind: AuthFlow``: what it contributes to each stage (see ``kind_registry``).

A Singpass login from five stateless functions behind one HTTP API: ``resolve.py`` names
them and writes their settings, ``derive.py`` wires each to exactly the parameters its
handler reads, ``render.py`` picks the templates over the ``auth_flow`` module, and
``graph.py`` draws the redirect chain. The runtime is ``runtime/auth/``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from generator.kinds.auth_flow.graph import auth_flow_graph
from generator.kinds.auth_flow.resolve import auth_flow_resources
from generator.kinds.auth_flow.resources import AuthFlowResources
from generator.kinds.base import KindPlugin, StackTemplates
from generator.model.deployment import Deployment, Function, Resources, Target

if TYPE_CHECKING:
    from generator.derive import StackRoles
    from generator.graph.model import Edge, Node
    from generator.iam.wiring import FunctionWiring


def _resources(deployment: Deployment) -> AuthFlowResources:
    resources = deployment.resources
    if not isinstance(resources, AuthFlowResources):  # an internal error: a wrong plugin
        msg = f"{deployment.key} is not a login flow"
        raise TypeError(msg)
    return resources


class AuthFlowPlugin(KindPlugin):
    """A Singpass login: login → provider → callback → session, with the RP's keys on jwks."""

    kind = "AuthFlow"
    bundle = "auth"
    local_run = "login"

    def resources(
        self, blueprint: str, spec: Any, target: Target, kinds: Mapping[str, str]
    ) -> Resources:
        return auth_flow_resources(blueprint, spec, target)

    def resource_names(self, resources: AuthFlowResources) -> list[str]:
        return [
            resources.api_name,
            resources.kms_alias,
            resources.alarm_topic_name,
            resources.access_log_group,
        ]

    def summary(self, resources: AuthFlowResources) -> dict[str, object]:
        return {"api": resources.api_name, "redirect_uri": resources.redirect_uri}

    def wiring(self, deployment: Deployment, function: Function) -> FunctionWiring | None:
        from generator.kinds.auth_flow.derive import auth_flow_wiring  # IAM: derive only

        return auth_flow_wiring(deployment, _resources(deployment), function)

    def templates(self, deployment: Deployment, roles: StackRoles) -> StackTemplates:
        from generator.kinds.auth_flow.render import auth_flow_templates  # jinja2: render only

        return auth_flow_templates(deployment)

    def graph(self, deployment: Deployment) -> tuple[list[Node], list[Edge]]:
        return auth_flow_graph(_resources(deployment), deployment.spec)


PLUGIN = AuthFlowPlugin()
