"""Wirings of the ingestion pipeline's two functions, with the runtime's own capabilities."""

from __future__ import annotations

from dataclasses import dataclass

from generator.iam import FunctionWiring, arns
from runtime.ingest import process, retrieve

PARTITION = "aws"
REGION = "ap-southeast-1"
ACCOUNT = "111111111111"
KEY = arns.kms_key_arn(PARTITION, REGION, ACCOUNT, "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0")


@dataclass(frozen=True)
class Cap:
    """A capability made up by a test (same fields as ``runtime.core.capabilities.Capability``)."""

    component: str
    resource: str
    actions: tuple[str, ...]


RETRIEVE_CAPABILITIES = retrieve.CAPABILITIES
PROCESS_CAPABILITIES = process.CAPABILITIES


def retrieve_wiring(
    *,
    account: str = ACCOUNT,
    region: str = REGION,
    queue: str = "orders-dev",
    parameter: str = "/commerce/orders/api-token",
    kms: bool = True,
    boundary: str | None = None,
    capabilities: tuple[object, ...] = RETRIEVE_CAPABILITIES,
    dead_letter: bool = True,
) -> FunctionWiring:
    """The retrieval function: reads its token parameter, sends to its queue; a failed
    scheduled run goes to the queue's dead-letter queue (``dead_letter_config``)."""
    key = arns.kms_key_arn(PARTITION, region, account, "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0")
    return FunctionWiring(
        function_name="orders-dev-retrieve",
        kind="ingest.retrieve",
        role_name="orders-dev-retrieve",
        account_id=account,
        region=region,
        log_group_name="/aws/lambda/orders-dev-retrieve",
        capabilities=capabilities,  # type: ignore[arg-type]
        resources={
            "queue": (arns.queue_arn(PARTITION, region, account, queue),),
            "parameter": (arns.parameter_arn(PARTITION, region, account, parameter),),
        },
        kms_keys={"queue": key} if kms else {},
        permissions_boundary=boundary,
        dead_letter_arn=(
            arns.queue_arn(PARTITION, region, account, f"{queue}-dlq") if dead_letter else None
        ),
    )


def process_wiring(
    *,
    account: str = ACCOUNT,
    region: str = REGION,
    queue: str = "orders-dev",
    table: str = "orders-dev",
    bucket: str = "orders-dev-backup",
    prefix: str = "raw",
    kms: bool = True,
    capabilities: tuple[object, ...] = PROCESS_CAPABILITIES,
) -> FunctionWiring:
    """The processing function: consumes its queue, dedups in its table, backs up to S3."""
    key = arns.kms_key_arn(PARTITION, region, account, "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0")
    return FunctionWiring(
        function_name="orders-dev-process",
        kind="ingest.process",
        role_name="orders-dev-process",
        account_id=account,
        region=region,
        log_group_name="/aws/lambda/orders-dev-process",
        capabilities=capabilities,  # type: ignore[arg-type]
        resources={
            "queue": (arns.queue_arn(PARTITION, region, account, queue),),
            "table": (arns.table_arn(PARTITION, region, account, table),),
            "backup_objects": (arns.object_prefix_arn(PARTITION, bucket, prefix),),
        },
        event_source="queue",
        kms_keys={"queue": key, "table": key, "backup_objects": key} if kms else {},
    )
