"""Maintainer script: propose what each AWS resource type holds, for review.

``python -m tools.review.propose_holdings`` reads the committed provider schema
(:func:`generator.schema.loader.committed_provider_schema`) and the reviewed table
``holdings.json``, and writes the table back with every type of the schema that the table
does not list yet, classified by the name heuristics below. Entries already in the table
are never changed: the table is the decision, the heuristics only propose. Review the
diff (``git diff generator/review/holdings.json``) like code before committing it;
``tests/review/test_holdings.py`` fails while a schema type is missing from the table.

The heuristics are ordered rules on the type name; the first that matches wins. What a
rule cannot know (a type whose name says nothing) falls to ``disposable`` and is what the
reviewer must look at hardest. ``--check`` prints the types the table lacks and exits 1
when there are any, without writing.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from generator.review.holdings import HOLDINGS_FILE, Holding, Kind, dump_table, load_table
from generator.schema.loader import committed_provider_schema

_OBJECTS = "the objects it stores (every version)"
_ITEMS = "every item in the table"
_DATABASE = (
    "the database's data (its automated backups go with it unless a final snapshot is taken)"
)
_CACHE = "the cached data and the endpoint clients connect to"
_SEARCH = "the indexed documents and the endpoint clients query"
_VOLUME = "the files on the volume"
_SNAPSHOT = "the data the snapshot preserves"
_KEY = "key material: whatever it encrypted can no longer be decrypted"

RULES: tuple[tuple[str, Kind, str], ...] = (
    # configuration that hangs off a data-holding resource: never the data itself
    (
        r"_(policy|policies|attachment|association|notification|subscription|permission|"
        r"rule|rules|tag|tags|alias|grant|configuration|config|setting|settings|"
        r"schedule|target|endpoint|lifecycle_configuration|logging|acl|ownership_controls|"
        r"public_access_block|versioning|cors_configuration|website_configuration|"
        r"replication_configuration|accelerate_configuration|request_payment_configuration|"
        r"server_side_encryption_configuration|intelligent_tiering_configuration|"
        r"inventory|metric|analytics_configuration|object_lock_configuration|"
        r"redirect_allow_policy|contributor_insights|kinesis_streaming_destination|"
        r"parameter_group|subnet_group|option_group|proxy.*|event_subscription|"
        r"redrive_policy|redrive_allow_policy|filter|destination|rotation|"
        r"replica_key_policy|item|object|object_copy|table_item)$",
        Kind.DISPOSABLE,
        "",
    ),
    # identity and key material
    (
        r"^aws_kms_(key|external_key|replica_key|replica_external_key)$",
        Kind.KEY,
        _KEY,
    ),
    (r"^aws_kms_custom_key_store$", Kind.KEY, "the custom key store holding key material"),
    (r"^aws_cloudhsm_v2_(cluster|hsm)$", Kind.KEY, "the HSM and the keys it holds"),
    (r"^aws_paymentcryptography_key$", Kind.KEY, "the payment cryptography key material"),
    (
        r"^aws_secretsmanager_secret(_version)?$",
        Kind.KEY,
        "the secret's value and its versions (callers reading it by ARN break)",
    ),
    (
        r"^aws_iam_access_key$",
        Kind.KEY,
        "the secret access key: whoever signs requests with it is locked out",
    ),
    (r"^aws_iam_user_login_profile$", Kind.KEY, "the user's console password"),
    (r"^aws_iam_service_specific_credential$", Kind.KEY, "the service-specific password"),
    (r"^aws_iam_signing_certificate$", Kind.KEY, "the signing certificate"),
    (r"^aws_iam_server_certificate$", Kind.KEY, "the certificate and its private key"),
    (r"^aws_iam_user$", Kind.KEY, "the user's access keys, password and MFA devices"),
    (
        r"^aws_acm_certificate$",
        Kind.KEY,
        "the certificate and its private key (a new one must be validated again)",
    ),
    (
        r"^aws_acmpca_certificate_authority$",
        Kind.KEY,
        "the CA's private key: certificates it issued can no longer be renewed or revoked",
    ),
    (r"^aws_acmpca_certificate$", Kind.KEY, "the issued certificate"),
    (r"^aws_iot_(certificate|ca_certificate)$", Kind.KEY, "the device certificate and key"),
    (
        r"^aws_cognito_user_pool$",
        Kind.KEY,
        "every user, their passwords and MFA devices: users must sign up again",
    ),
    (
        r"^aws_cognito_user_pool_client$",
        Kind.KEY,
        "the app client id and secret that applications sign in with",
    ),
    (r"^aws_cognito_identity_pool$", Kind.KEY, "the identity ids issued to users"),
    (r"^aws_cognito_user$", Kind.KEY, "the user's identity and password"),
    (r"^aws_identitystore_user$", Kind.KEY, "the workforce user and their assignments"),
    (r"^aws_directory_service_directory$", Kind.KEY, "the directory's users and computers"),
    (r"^aws_(api_gateway|appsync)_api_key$", Kind.KEY, "the API key that clients send"),
    (r"^aws_route53_key_signing_key$", Kind.KEY, "the DNSSEC signing key the parent zone trusts"),
    (
        r"^aws_(ses_domain_dkim|sesv2_email_identity|ses_domain_identity)$",
        Kind.KEY,
        "the DKIM keys and the verification that DNS records point to",
    ),
    (r"^aws_lightsail_key_pair$", Kind.KEY, "the generated private key"),
    (
        r"^aws_(eip|lightsail_static_ip|globalaccelerator_accelerator)$",
        Kind.KEY,
        "the public IP addresses that others allowlist or resolve to",
    ),
    # data
    (r"^aws_s3_(bucket|directory_bucket)$", Kind.DATA, _OBJECTS),
    (r"^aws_s3control_bucket$", Kind.DATA, _OBJECTS),
    (r"^aws_lightsail_bucket$", Kind.DATA, _OBJECTS),
    (r"^aws_s3tables_(table_bucket|table|namespace)$", Kind.DATA, "the tables and their data"),
    (r"^aws_dynamodb_(table|global_table|table_replica)$", Kind.DATA, _ITEMS),
    (r"^aws_keyspaces_(table|keyspace)$", Kind.DATA, "the rows of the tables"),
    (r"^aws_timestreamwrite_(table|database)$", Kind.DATA, "the time-series records"),
    (r"^aws_qldb_ledger$", Kind.DATA, "the ledger's journal and documents"),
    (
        r"^aws_sqs_queue$",
        Kind.DATA,
        "messages in flight and the queue URL that producers use",
    ),
    (r"^aws_mq_broker$", Kind.DATA, "messages on the broker and the endpoints clients use"),
    (
        r"^aws_kinesis_(stream|video_stream)$",
        Kind.DATA,
        "the records in the stream's retention window and the stream that producers use",
    ),
    (
        r"^aws_kinesis_firehose_delivery_stream$",
        Kind.DATA,
        "records buffered for delivery and the stream that producers use",
    ),
    (r"^aws_msk_(cluster|serverless_cluster)$", Kind.DATA, "the topics and their records"),
    (
        r"^aws_(db_instance|rds_cluster|rds_global_cluster|docdb_cluster|docdbelastic_cluster|"
        r"neptune_cluster|neptune_global_cluster|redshift_cluster|redshiftserverless_namespace|"
        r"dsql_cluster|lightsail_database|timestreaminfluxdb_db_instance|"
        r"timestreaminfluxdb_db_cluster|rds_shard_group)$",
        Kind.DATA,
        _DATABASE,
    ),
    (r"^aws_neptunegraph_graph$", Kind.DATA, "the graph's data"),
    (
        r"^aws_(elasticache_replication_group|elasticache_cluster|elasticache_serverless_cache|"
        r"memorydb_cluster|elasticache_global_replication_group|memorydb_multi_region_cluster)$",
        Kind.DATA,
        _CACHE,
    ),
    (
        r"^aws_(opensearch_domain|elasticsearch_domain|opensearchserverless_collection|"
        r"cloudsearch_domain|kendra_index)$",
        Kind.DATA,
        _SEARCH,
    ),
    (
        r"^aws_(db_snapshot|db_cluster_snapshot|db_snapshot_copy|docdb_cluster_snapshot|"
        r"neptune_cluster_snapshot|ebs_snapshot|ebs_snapshot_copy|ebs_snapshot_import|"
        r"redshift_cluster_snapshot|memorydb_snapshot|elasticache_snapshot|fsx_backup|"
        r"lightsail_database_snapshot|lightsail_instance_snapshot|"
        r"ami|ami_copy|ami_from_instance|imagebuilder_image)$",
        Kind.DATA,
        _SNAPSHOT,
    ),
    (
        r"^aws_(ebs_volume|efs_file_system|lightsail_disk|fsx_ontap_volume|fsx_openzfs_volume|"
        r"finspace_kx_volume|storagegateway_(cached|stored)_iscsi_volume)$",
        Kind.DATA,
        _VOLUME,
    ),
    (r"^aws_fsx_\w+_file_system$", Kind.DATA, _VOLUME),
    (
        r"^aws_(backup_vault|backup_logically_air_gapped_vault)$",
        Kind.DATA,
        "the recovery points in the vault",
    ),
    (r"^aws_glacier_vault$", Kind.DATA, "the archives in the vault"),
    (r"^aws_cloudwatch_log_(group|stream)$", Kind.DATA, "the log events it holds"),
    (r"^aws_cloudtrail_event_data_store$", Kind.DATA, "the stored events"),
    (r"^aws_cloudwatch_event_archive$", Kind.DATA, "the archived events"),
    (
        r"^aws_(ecr_repository|ecrpublic_repository)$",
        Kind.DATA,
        "the images in the repository (deployed tags included)",
    ),
    (
        r"^aws_(codecommit_repository|codeartifact_repository)$",
        Kind.DATA,
        "the repository's contents",
    ),
    (r"^aws_ssm_parameter$", Kind.DATA, "the parameter's value and its history"),
    (r"^aws_cloudfront_key_value_store$", Kind.DATA, "the key-value pairs"),
    (
        r"^aws_(instance|lightsail_instance|spot_instance_request|cloud9_environment_ec2|"
        r"workspaces_workspace)$",
        Kind.DATA,
        "the instance's root and instance-store volumes",
    ),
    (r"^aws_emr_cluster$", Kind.DATA, "the cluster's HDFS data"),
    (
        r"^aws_route53_zone$",
        Kind.DATA,
        "every record in the zone and the name servers the parent delegates to",
    ),
    (r"^aws_sagemaker_(feature_group|domain)$", Kind.DATA, "the stored features and home volumes"),
    (r"^aws_(prometheus|grafana)_workspace$", Kind.DATA, "the stored metrics and dashboards"),
    (r"^aws_finspace_kx_database$", Kind.DATA, "the database's data"),
    (r"^aws_media_store_container$", Kind.DATA, "the objects it stores"),
    (r"^aws_glue_(schema|registry)$", Kind.DATA, "the schema versions producers registered"),
    (r"^aws_connect_instance$", Kind.DATA, "the contact center's users, flows and records"),
    (r"^aws_sesv2_contact_list$", Kind.DATA, "the contacts in the list"),
    (r"^aws_pinpoint_app$", Kind.DATA, "the endpoints and segments of the project"),
    (
        r"^aws_organizations_(account|organization)$",
        Kind.DATA,
        "the AWS account(s) and everything in them",
    ),
)
"""(pattern on the type name, kind, what is lost); the first match wins."""


def propose(resource_type: str) -> Holding:
    """The heuristics' proposal for one type (``disposable`` when no rule matches)."""
    for pattern, kind, lost in RULES:
        if re.search(pattern, resource_type):
            return Holding(kind, lost)
    return Holding(Kind.DISPOSABLE, "")


def main(argv: list[str] | None = None) -> int:
    """Add the schema's unlisted types to the table (or, with ``--check``, list them)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="list missing types, write nothing")
    parser.add_argument("--file", type=Path, default=HOLDINGS_FILE, help="the table to update")
    args = parser.parse_args(argv)
    table = load_table(args.file) if args.file.exists() else {}
    schema_types = sorted(committed_provider_schema()["resource_schemas"])
    missing = [t for t in schema_types if t not in table]
    if args.check:
        for resource_type in missing:
            print(resource_type)
        return 1 if missing else 0
    for resource_type in missing:
        table[resource_type] = propose(resource_type)
    args.file.write_text(dump_table(table), encoding="utf-8")
    print(f"{len(missing)} types proposed; review `git diff {args.file}` before committing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
