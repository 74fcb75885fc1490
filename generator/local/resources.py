"""The pipeline's AWS resources, created on the local endpoint from the deployment model.

Names are the model's (``dev-orders-records``, ``dev-orders-items`` …), so what the local
run prints is what the stack deploys. Settings that change behaviour are the model's too:
the redrive policy's ``maxReceiveCount``, the DLQ's retention, the table's key, bucket
versioning. SSM parameters the source reads (API tokens) get a placeholder value; the
local source accepts exactly that value, so authentication runs through the same code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from generator.model.deployment import Deployment
from generator.ops.target import IngestionResources, ingestion_resources

__all__ = ["PLACEHOLDER_SECRET", "LocalResources", "create_resources", "secret_parameters"]

#: The value every secret parameter holds locally (and the only one the local source accepts).
PLACEHOLDER_SECRET = "local-placeholder-secret"  # noqa: S105 - a placeholder by design


@dataclass(frozen=True)
class LocalResources:
    """What was created, with the local endpoint's URLs and ARNs."""

    queue_url: str
    queue_arn: str
    dlq_url: str
    table_name: str
    bucket: str
    kms_key_id: str
    parameters: tuple[str, ...]
    log_groups: tuple[str, ...]

    def lines(self, resources: IngestionResources) -> list[str]:
        """One line per resource, as printed at the start of a run."""
        spec_lines = [
            f"queue      {resources.queue_name}",
            f"dlq        {resources.dlq_name}",
            f"table      {self.table_name}",
            f"bucket     {self.bucket} (versioned)",
            f"kms key    {resources.kms_alias}",
        ]
        spec_lines += [f"parameter  {name} = {PLACEHOLDER_SECRET}" for name in self.parameters]
        return spec_lines


def secret_parameters(spec: Any) -> tuple[str, ...]:
    """The SSM parameter names the source's ``auth`` reads (none without ``auth``)."""
    auth = spec.source.http.auth
    if auth is None:
        return ()
    if auth.bearer_token_parameter:
        return (str(auth.bearer_token_parameter),)
    return (str(auth.api_key_parameter.name),)


def create_resources(deployment: Deployment, client: Any) -> LocalResources:
    """Create the queue, DLQ, table, bucket, KMS key, parameters and log groups.

    ``client(service)`` returns a boto3 client for the local endpoint.
    """
    resources = ingestion_resources(deployment)
    spec: Any = deployment.spec
    region = deployment.target.region

    kms = client("kms")
    key_id = str(kms.create_key(Description=f"{deployment.key} (local)")["KeyMetadata"]["KeyId"])
    kms.create_alias(AliasName=resources.kms_alias, TargetKeyId=key_id)

    sqs = client("sqs")
    dlq_url = str(
        sqs.create_queue(
            QueueName=resources.dlq_name,
            Attributes={
                "MessageRetentionPeriod": str(spec.dead_letter.retention_days * 86_400),
                "KmsMasterKeyId": resources.kms_alias,
            },
        )["QueueUrl"]
    )
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])
    redrive = {
        "deadLetterTargetArn": dlq_arn["Attributes"]["QueueArn"],
        "maxReceiveCount": str(spec.dead_letter.max_receive_count),
    }
    queue_url = str(
        sqs.create_queue(
            QueueName=resources.queue_name,
            Attributes={
                "RedrivePolicy": json.dumps(redrive),
                "VisibilityTimeout": str(spec.processing.timeout_seconds * 6),
                "KmsMasterKeyId": resources.kms_alias,
            },
        )["QueueUrl"]
    )
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])

    client("dynamodb").create_table(
        TableName=resources.table_name,
        AttributeDefinitions=[{"AttributeName": spec.shape.key, "AttributeType": "S"}],
        KeySchema=[{"AttributeName": spec.shape.key, "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
        SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key_id},
    )

    s3 = client("s3")
    bucket_args: dict[str, Any] = {"Bucket": resources.backup_bucket}
    if region != "us-east-1":
        bucket_args["CreateBucketConfiguration"] = {"LocationConstraint": region}
    s3.create_bucket(**bucket_args)
    s3.put_bucket_versioning(
        Bucket=resources.backup_bucket, VersioningConfiguration={"Status": "Enabled"}
    )

    parameters = secret_parameters(spec)
    for name in parameters:
        client("ssm").put_parameter(
            Name=name, Value=PLACEHOLDER_SECRET, Type="SecureString", KeyId=key_id, Overwrite=True
        )

    logs = client("logs")
    groups = tuple(f.log_group for f in resources.functions)
    for group in groups:
        logs.create_log_group(logGroupName=group)

    return LocalResources(
        queue_url=queue_url,
        queue_arn=str(queue_arn["Attributes"]["QueueArn"]),
        dlq_url=dlq_url,
        table_name=resources.table_name,
        bucket=resources.backup_bucket,
        kms_key_id=key_id,
        parameters=parameters,
        log_groups=groups,
    )
