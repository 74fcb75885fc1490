"""Which Terraform resource types hold IAM policies, and in which attribute.

The review reads policies only where these tables say they are; adding a resource type
that carries a policy is adding a line here. ``IDENTITY`` documents grant to the principal
they are attached to, ``TRUST`` documents say who may assume a role, ``RESOURCE``
documents say who may use the resource that holds them.
"""

from __future__ import annotations

IDENTITY: dict[str, str] = {
    "aws_iam_policy": "policy",
    "aws_iam_role_policy": "policy",
    "aws_iam_user_policy": "policy",
    "aws_iam_group_policy": "policy",
}
TRUST: dict[str, str] = {"aws_iam_role": "assume_role_policy"}
RESOURCE: dict[str, str] = {
    "aws_s3_bucket_policy": "policy",
    "aws_sqs_queue_policy": "policy",
    "aws_sqs_queue": "policy",
    "aws_sns_topic_policy": "policy",
    "aws_sns_topic": "policy",
    "aws_kms_key": "policy",
    "aws_kms_external_key": "policy",
    "aws_kms_replica_key": "policy",
    "aws_kms_replica_external_key": "policy",
    "aws_backup_vault_policy": "policy",
    "aws_efs_file_system_policy": "policy",
    "aws_glacier_vault": "access_policy",
    "aws_opensearch_domain_policy": "access_policies",
    "aws_opensearch_domain": "access_policies",
    "aws_elasticsearch_domain_policy": "access_policies",
    "aws_api_gateway_rest_api_policy": "policy",
    "aws_kinesis_resource_policy": "policy",
    "aws_cloudwatch_event_bus_policy": "policy",
    "aws_glue_resource_policy": "policy",
    "aws_ecrpublic_repository_policy": "policy",
    "aws_s3_access_point": "policy",
    "aws_vpc_endpoint": "policy",
    "aws_secretsmanager_secret": "policy",
    "aws_lambda_layer_version_permission": "policy",
    "aws_ecr_repository_policy": "policy",
    "aws_secretsmanager_secret_policy": "policy",
    "aws_cloudwatch_log_resource_policy": "policy_document",
    "aws_dynamodb_resource_policy": "policy",
}
ATTACHMENTS: dict[str, str] = {
    "aws_iam_role_policy_attachment": "role",
    "aws_iam_user_policy_attachment": "user",
    "aws_iam_group_policy_attachment": "group",
}
BOUNDARY_TYPES = frozenset({"aws_iam_role", "aws_iam_user"})
POLICY_DOCUMENT = "aws_iam_policy_document"

REFERENCE_TYPES = frozenset({*IDENTITY, *TRUST, *RESOURCE, POLICY_DOCUMENT})
"""Resource types whose configuration references the review keeps (see ``scan_plan``)."""
