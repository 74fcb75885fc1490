"""Render an ingestion pipeline: its templates and the values computed for them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.images.registry import image_repository
from generator.kinds.base import StackTemplates
from generator.model.deployment import Deployment
from generator.render.stack import ARCHITECTURE, LAMBDA_LOG_LEVELS, LAMBDA_PYTHON
from runtime import contract

FUNCTION_DESCRIPTIONS = {
    "retrieve": "Fetches pages from the source concurrently and queues the raw records.",
    "process": "Shapes queued records, stores changed ones in DynamoDB, backs them up to S3.",
}


SECONDS_PER_DAY = 86_400
LAMBDA_BATCHING_THRESHOLD = 10
"""Above this batch size Lambda needs a batching window of at least one second."""


@dataclass(frozen=True)
class IngestionValues:
    """The values the ingestion templates read that are computed, not copied, from the spec."""

    dead_letter_retention_seconds: int
    table_deletion_protection: bool
    ttl_enabled: bool
    batching_window_seconds: int


def ingestion_values(deployment: Deployment) -> IngestionValues:
    """Seconds from days, the table's protection from the environment's approval, the TTL
    switch, and the batching window Lambda requires for batches over ten messages."""
    spec: Any = deployment.spec
    return IngestionValues(
        dead_letter_retention_seconds=spec.dead_letter.retention_days * SECONDS_PER_DAY,
        table_deletion_protection=deployment.target.approval == "required",
        ttl_enabled=spec.store.ttl_days is not None,
        batching_window_seconds=(
            1 if spec.processing.batch_size > LAMBDA_BATCHING_THRESHOLD else 0
        ),
    )


def spec_package(deployment: Deployment) -> str:
    """``zip`` or ``image``: how the pipeline's functions are packaged."""
    spec: Any = deployment.spec
    return str(spec.package)


def ingestion_templates(deployment: Deployment) -> StackTemplates:
    """The pipeline's resources, its policy documents and outputs, and what they read."""
    context = {
        "v": ingestion_values(deployment),
        "lambda_runtime": f"python{LAMBDA_PYTHON}",
        "architecture": ARCHITECTURE,
        "log_level": LAMBDA_LOG_LEVELS[deployment.target.log_level],
        "descriptions": FUNCTION_DESCRIPTIONS,
        "state_key_attribute": contract.STATE_KEY_ATTRIBUTE,
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
    context["image"] = None
    if spec_package(deployment) == "image":
        context["image"] = image_repository(deployment.target, deployment.blueprint)
        files["image.tf"] = "ingestion/image.tf.j2"
    return StackTemplates(files=files, context=context)
