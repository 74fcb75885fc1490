"""Render one root stack (``<env>/<blueprint>/``) from its deployment model."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any, Final

from generator.derive import StackRoles
from generator.iam.document import review_file
from generator.kind_registry import plugin
from generator.model.deployment import Deployment, Target
from generator.render.templating import render
from generator.render.tree import Tree

LAMBDA_PYTHON = "3.13"
"""The Python version of the Lambda runtime the bundle is built for and the functions use."""
ARCHITECTURE: Final = "arm64"
"""Graviton: cheaper per GB-second, and the bundle's wheels are built for it."""

SSM_ROOT = "/trellis"
"""Root of the SSM parameters trellis stacks publish for each other (bootstrap's default)."""

LAMBDA_LOG_LEVELS = {"DEBUG": "DEBUG", "INFO": "INFO", "WARNING": "WARN", "ERROR": "ERROR"}
"""Our log levels as Lambda's ``logging_config.application_log_level`` names them."""


class RoleView:
    """What the policy template needs of a derived role: a label, statements, trust."""

    def __init__(self, label: str, role: Any) -> None:
        self.label = label
        self.function_name = role.function_name
        self.statements = role.statements
        self.trust = role.trust


def auth_api_parameter(env: str, auth_flow: str) -> str:
    """The SSM parameter where an AuthFlow stack publishes its API's domain."""
    return f"{SSM_ROOT}/{env}/{auth_flow}/api-domain"


def render_stack(
    deployment: Deployment, roles: StackRoles, bundle: Any, ttl_attribute: str
) -> Tree:
    """The files of one root stack, plus one IAM review file per function.

    Raises ``NotImplementedError`` for a kind whose renderer has not landed yet; the
    caller reports it instead of writing a partial stack.
    """
    base = PurePosixPath(deployment.target.env, deployment.blueprint)
    kind = plugin(deployment.kind).templates(deployment, roles)
    context: dict[str, Any] = {
        "d": deployment,
        "t": deployment.target,
        "r": deployment.resources,
        "s": deployment.spec,
        "tags": dict(deployment.tags),
        "bundle": bundle,
        "ttl_attribute": ttl_attribute,
        "roles": [RoleView(label, role) for label, role in roles.roles],
        "references": roles.references,
        **kind.context,
    }
    files = {
        "versions.tf": "common/versions.tf.j2",
        "backend.tf": "common/backend.tf.j2",
        "providers.tf": "common/providers.tf.j2",
        **kind.files,
    }
    tree: Tree = {
        base / name: render(template, **context).encode()
        for name, template in sorted(files.items())
    }
    for _, role in roles.roles:
        path, data = review_file(role, deployment.target.env, deployment.blueprint)
        tree[path] = data
    return tree


BOOTSTRAP = "bootstrap"
"""The name of each environment's bootstrap stack under ``build/<env>/``."""
BOOTSTRAP_TAGS = {"team": "platform", "blueprint": BOOTSTRAP, "managed-by": "trellis"}


def render_bootstrap(target: Target, state_bucket: str, image_blueprints: list[str]) -> Tree:
    """``build/<env>/bootstrap/``: state bucket, ECR, GitHub OIDC and deploy roles.

    It has no backend block: its state is local until the operator migrates it into the
    bucket it creates (the README shows how).
    """
    base = PurePosixPath(target.env, BOOTSTRAP)
    context: dict[str, Any] = {
        "t": target,
        "state_bucket": state_bucket,
        "image_blueprints": sorted(image_blueprints),
        "tags": dict(sorted({**BOOTSTRAP_TAGS, "env": target.env}.items())),
    }
    files = {
        "versions.tf": "common/versions.tf.j2",
        "providers.tf": "common/providers.tf.j2",
        "main.tf": "bootstrap/main.tf.j2",
        "outputs.tf": "bootstrap/outputs.tf.j2",
    }
    return {
        base / name: render(template, **context).encode()
        for name, template in sorted(files.items())
    }
