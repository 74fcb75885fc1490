"""Render a login flow: its templates and the values computed for them."""

from __future__ import annotations

from generator.kinds.base import StackTemplates
from generator.model.deployment import Deployment
from generator.render.stack import ARCHITECTURE, LAMBDA_LOG_LEVELS, LAMBDA_PYTHON

FUNCTION_DESCRIPTIONS = {
    "login": "Starts a Singpass login: pushed authorization request, then a redirect.",
    "callback": "Finishes a Singpass login: checks, code exchange, sealed session cookie.",
    "session": "Answers /auth/me with the signed-in user's claims.",
    "logout": "Clears the login and session cookies.",
    "jwks": "Publishes the relying party's public keys for Singpass.",
}


def auth_flow_templates(deployment: Deployment) -> StackTemplates:
    """The flow's functions, API module, policy documents and outputs."""
    context = {
        "lambda_runtime": f"python{LAMBDA_PYTHON}",
        "architecture": ARCHITECTURE,
        "log_level": LAMBDA_LOG_LEVELS[deployment.target.log_level],
        "descriptions": FUNCTION_DESCRIPTIONS,
        "kms_description": (
            f"Encrypts the logs, environment and alarms of {deployment.blueprint} "
            f"in {deployment.target.env}: {deployment.description or deployment.kind}"
        ),
    }
    files = {
        "main.tf": "auth_flow/main.tf.j2",
        "iam.tf": "common/policy_documents.tf.j2",
        "outputs.tf": "auth_flow/outputs.tf.j2",
    }
    return StackTemplates(files=files, context=context)
