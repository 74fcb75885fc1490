"""Render an ingestion pipeline: its templates and the values computed for them."""

from __future__ import annotations

from generator.kinds.base import StackTemplates
from generator.model.deployment import Deployment
from generator.render.stack import ARCHITECTURE, LAMBDA_LOG_LEVELS, LAMBDA_PYTHON

FUNCTION_DESCRIPTIONS = {
    "retrieve": "Fetches pages from the source concurrently and queues the raw records.",
    "process": "Shapes queued records, stores changed ones in DynamoDB, backs them up to S3.",
}


def ingestion_templates(deployment: Deployment) -> StackTemplates:
    """The pipeline's resources, its policy documents and outputs, and what they read."""
    context = {
        "lambda_runtime": f"python{LAMBDA_PYTHON}",
        "architecture": ARCHITECTURE,
        "log_level": LAMBDA_LOG_LEVELS[deployment.target.log_level],
        "descriptions": FUNCTION_DESCRIPTIONS,
        "kms_description": (
            f"Encrypts the queues, table, backups, logs and alarms of {deployment.blueprint} "
            f"in {deployment.target.env}: {deployment.description or deployment.kind}"
        ),
    }
    files = {
        "main.tf": "ingestion/main.tf.j2",
        "iam.tf": "common/policy_documents.tf.j2",
        "outputs.tf": "ingestion/outputs.tf.j2",
    }
    return StackTemplates(files=files, context=context)
