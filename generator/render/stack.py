"""Render one root stack (``<env>/<blueprint>/``) from its deployment model."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any, Final

from generator.derive import StackRoles
from generator.iam.document import review_file
from generator.model.deployment import Deployment, IngestionResources
from generator.render.templating import render
from generator.render.tree import Tree

LAMBDA_PYTHON = "3.13"
"""The Python version of the Lambda runtime the bundle is built for and the functions use."""
ARCHITECTURE: Final = "arm64"
"""Graviton: cheaper per GB-second, and the bundle's wheels are built for it."""

LAMBDA_LOG_LEVELS = {"DEBUG": "DEBUG", "INFO": "INFO", "WARNING": "WARN", "ERROR": "ERROR"}
"""Our log levels as Lambda's ``logging_config.application_log_level`` names them."""

FUNCTION_DESCRIPTIONS = {
    "retrieve": "Fetches pages from the source concurrently and queues the raw records.",
    "process": "Shapes queued records, stores changed ones in DynamoDB, backs them up to S3.",
}


class RoleView:
    """What the policy template needs of a derived role: a label, statements, trust."""

    def __init__(self, label: str, role: Any) -> None:
        self.label = label
        self.function_name = role.function_name
        self.statements = role.statements
        self.trust = role.trust


def render_stack(
    deployment: Deployment, roles: StackRoles, bundle: Any, ttl_attribute: str
) -> Tree:
    """The files of one root stack, plus one IAM review file per function.

    Raises ``NotImplementedError`` for a kind whose renderer has not landed yet; the
    caller reports it instead of writing a partial stack.
    """
    if not isinstance(deployment.resources, IngestionResources):
        msg = f"rendering {deployment.kind} is not implemented yet"
        raise NotImplementedError(msg)
    base = PurePosixPath(deployment.target.env, deployment.blueprint)
    context: dict[str, Any] = {
        "d": deployment,
        "r": deployment.resources,
        "s": deployment.spec,
        "tags": dict(deployment.tags),
        "bundle": bundle,
        "lambda_runtime": f"python{LAMBDA_PYTHON}",
        "architecture": ARCHITECTURE,
        "log_level": LAMBDA_LOG_LEVELS[deployment.target.log_level],
        "descriptions": FUNCTION_DESCRIPTIONS,
        "ttl_attribute": ttl_attribute,
        "roles": [RoleView(label, role) for label, role in roles.roles],
        "references": roles.references,
        "kms_description": (
            f"Encrypts the queues, table, backups, logs and alarms of {deployment.blueprint} "
            f"in {deployment.target.env}: {deployment.description or deployment.kind}"
        ),
    }
    tree: Tree = {
        base / "versions.tf": render("common/versions.tf.j2", **context).encode(),
        base / "backend.tf": render("common/backend.tf.j2", **context).encode(),
        base / "providers.tf": render("common/providers.tf.j2", **context).encode(),
        base / "main.tf": render("ingestion/main.tf.j2", **context).encode(),
        base / "iam.tf": render("common/policy_documents.tf.j2", **context).encode(),
        base / "outputs.tf": render("ingestion/outputs.tf.j2", **context).encode(),
    }
    for _, role in roles.roles:
        path, data = review_file(role, deployment.target.env, deployment.blueprint)
        tree[path] = data
    return tree
