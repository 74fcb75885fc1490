"""Render a static site: its templates and the values computed for them."""

from __future__ import annotations

from typing import Any

from generator.kinds.base import StackTemplates
from generator.model.deployment import Deployment
from generator.render.stack import auth_api_parameter


def static_site_templates(deployment: Deployment) -> StackTemplates:
    """The site's bucket, distribution and outputs, and the values they read."""
    spec: Any = deployment.spec
    context = {
        "site_name": f"{deployment.target.prefix}{deployment.blueprint}",
        "auth_api_parameter": auth_api_parameter(
            deployment.target.env, spec.auth_flow or "", deployment.target.namespace
        ),
    }
    files = {
        "main.tf": "static_site/main.tf.j2",
        "outputs.tf": "static_site/outputs.tf.j2",
    }
    return StackTemplates(files=files, context=context)
