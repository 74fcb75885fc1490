"""The plan fixtures of the review tests, described as changes; run to regenerate the JSON.

``python -m tests.review.fixtures`` rewrites ``tests/review/plans/``. Each plan is the
shape `terraform show -json` gives for the change it describes (see
:mod:`tests.review.planbuilder`):

- ``dev/orders/plan.json``: the kitchen sink a reviewer must read in order: a DynamoDB
  table deleted and an S3 bucket replaced (blocking), a queue replaced create-before-
  destroy, a policy broadened from one table ARN to ``*``, a trust policy widened to every
  branch with its permissions boundary removed, a jsonencoded inline policy gaining
  ``iam:PassRole``, a policy only known after apply (from a data source read during
  apply), a log group whose retention drops, sensitive values in a nested map and an SSM
  parameter, and a queue in a module nested two levels deep.
- ``prd/orders/plan.json``: security posture only: PITR and deletion protection off,
  versioning suspended, public access block loosened, encryption configuration deleted,
  and a new table without PITR (checkov CKV_AWS_28).
- ``create.json``: a pure create of a small service.
- ``bad/``: a state file, format_version 2.0, a plan without terraform_version, a
  truncated plan, a binary plan file and a JSON array.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.review.planbuilder import (
    ACCOUNT,
    HERE,
    Res,
    arn,
    policy_document_json,
    policy_json,
    write_plan,
)

SECRETS = (
    "s3cr3t-old-token-1111",
    "s3cr3t-new-token-2222",
    "s3cr3t-param-3333",
    "s3cr3t-param-4444",
)
"""Values marked sensitive in the fixtures: none may ever appear in a review."""

ORDERS_TABLE = arn("dynamodb", "table/dev-orders")
GITHUB = f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"
BOUNDARY = f"arn:aws:iam::{ACCOUNT}:policy/trellis-boundary"


def _trust(sub: str) -> str:
    return policy_document_json(
        [
            {
                "Sid": "",
                "Effect": "Allow",
                "Principal": {"Federated": GITHUB},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com"
                    },
                    "StringLike": {"token.actions.githubusercontent.com:sub": sub},
                },
            }
        ]
    )


def _role(name: str, trust: str, *, boundary: str | None, inline: str | None) -> dict[str, object]:
    return {
        "arn": f"arn:aws:iam::{ACCOUNT}:role/{name}",
        "assume_role_policy": trust,
        "create_date": "2026-01-05T10:00:00Z",
        "description": "",
        "force_detach_policies": False,
        "id": name,
        "inline_policy": [] if inline is None else [{"name": "deploy-state", "policy": inline}],
        "managed_policy_arns": [],
        "max_session_duration": 3600,
        "name": name,
        "name_prefix": "",
        "path": "/",
        "permissions_boundary": boundary,
        "tags": {"env": "dev"},
        "tags_all": {"env": "dev"},
        "unique_id": "AROAEXAMPLE000001",
    }


def _queue(name: str, **extra: object) -> dict[str, object]:
    return {
        "name": name,
        "delay_seconds": 0,
        "fifo_queue": False,
        "content_based_deduplication": False,
        "kms_master_key_id": None,
        "max_message_size": 262144,
        "message_retention_seconds": 1209600,
        "receive_wait_time_seconds": 20,
        "sqs_managed_sse_enabled": True,
        "visibility_timeout_seconds": 180,
        "tags": {"env": "dev"},
        "timeouts": None,
        **extra,
    }


def _table(name: str, *, pitr: bool, protection: bool, **extra: object) -> dict[str, object]:
    return {
        "name": name,
        "billing_mode": "PAY_PER_REQUEST",
        "hash_key": "pk",
        "range_key": None,
        "attribute": [{"name": "pk", "type": "S"}],
        "deletion_protection_enabled": protection,
        "global_secondary_index": [],
        "point_in_time_recovery": [{"enabled": pitr, "recovery_period_in_days": 35}],
        "server_side_encryption": [],
        "stream_enabled": False,
        "table_class": "STANDARD",
        "ttl": [],
        "tags": {"env": "dev"},
        "timeouts": None,
        **extra,
    }


def dev_orders() -> list[Res]:
    """The kitchen-sink plan (see the module docstring)."""
    old_policy = policy_json(
        [
            {
                "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
                "Effect": "Allow",
                "Resource": ORDERS_TABLE,
            }
        ]
    )
    new_policy = policy_json(
        [
            {
                "Action": ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem"],
                "Effect": "Allow",
                "Resource": "*",
            }
        ]
    )
    state_bucket = "arn:aws:s3:::acme-tfstate"
    old_inline = policy_json(
        [
            {
                "Action": ["s3:GetObject", "s3:PutObject"],
                "Effect": "Allow",
                "Resource": f"{state_bucket}/dev/*",
            }
        ]
    )
    new_inline = policy_json(
        [
            {
                "Action": ["s3:GetObject", "s3:PutObject"],
                "Effect": "Allow",
                "Resource": f"{state_bucket}/dev/*",
            },
            {
                "Action": "iam:PassRole",
                "Effect": "Allow",
                "Resource": f"arn:aws:iam::{ACCOUNT}:role/dev-*",
            },
        ]
    )
    function = {
        "function_name": "dev-orders-worker",
        "handler": "app.handler",
        "runtime": "python3.12",
        "memory_size": 256,
        "timeout": 30,
        "architectures": ["arm64"],
        "role": f"arn:aws:iam::{ACCOUNT}:role/dev-orders-worker",
        "arn": arn("lambda", "function:dev-orders-worker"),
        "environment": [{"variables": {"LOG_LEVEL": "INFO", "API_TOKEN": SECRETS[0]}}],
        "source_code_hash": "3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "last_modified": "2026-11-20T08:00:00.000+0000",
        "publish": False,
        "kms_key_arn": None,
        "tags": {"env": "dev"},
        "tracing_config": [{"mode": "Active"}],
    }
    new_function = dict(
        function,
        memory_size=512,
        environment=[{"variables": {"LOG_LEVEL": "INFO", "API_TOKEN": SECRETS[1]}}],
        source_code_hash="b2xkIGJ1bmRsZSBoYXNoIHJlcGxhY2VkIGJ5IG5ldw==",
    )
    del new_function["last_modified"]
    param = {
        "name": "/dev/orders/api-token",
        "type": "SecureString",
        "value": SECRETS[2],
        "insecure_value": None,
        "tier": "Standard",
        "data_type": "text",
        "arn": arn("ssm", "parameter/dev/orders/api-token"),
        "version": 3,
        "tags": {"env": "dev"},
    }
    new_param = dict(param, value=SECRETS[3])
    del new_param["version"]
    bucket = {
        "bucket": "acme-dev-orders-backup",
        "force_destroy": False,
        "arn": "arn:aws:s3:::acme-dev-orders-backup",
        "id": "acme-dev-orders-backup",
        "object_lock_enabled": False,
        "tags": {"env": "dev"},
    }
    new_bucket = {
        "bucket": "acme-dev-orders-backups",
        "force_destroy": False,
        "object_lock_enabled": False,
        "tags": {"env": "dev"},
    }
    reader_statements = {
        "statement": [
            {
                "actions": ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
                "effect": "Allow",
                "not_actions": [],
                "not_principals": [],
                "not_resources": [],
                "principals": [],
                "condition": [],
                "resources": [None],
                "sid": "ReadQueue",
            }
        ],
        "version": "2012-10-17",
        "override_policy_documents": None,
        "source_policy_documents": None,
        "policy_id": None,
    }
    return [
        Res(
            "aws_dynamodb_table",
            "orders",
            ["delete"],
            _table("dev-orders", pitr=True, protection=False, arn=ORDERS_TABLE, id="dev-orders"),
            None,
            reason="delete_because_no_resource_config",
            configured=False,
        ),
        Res(
            "aws_s3_bucket",
            "backup",
            ["delete", "create"],
            bucket,
            new_bucket,
            replace_paths=[["bucket"]],
            reason="replace_because_cannot_update",
            unknown=[("arn",), ("id",), ("bucket_domain_name",)],
        ),
        Res(
            "aws_sqs_queue",
            "dlq",
            ["create", "delete"],
            _queue("dev-orders-dlq", arn=arn("sqs", "dev-orders-dlq"), id="dlq-url"),
            _queue("dev-orders-dead-letters"),
            replace_paths=[["name"]],
            reason="replace_because_cannot_update",
            unknown=[("arn",), ("id",), ("url",)],
        ),
        Res(
            "aws_iam_role_policy",
            "worker",
            ["update"],
            {
                "id": "dev-orders-worker:worker",
                "name": "worker",
                "role": "dev-orders-worker",
                "policy": old_policy,
            },
            {
                "id": "dev-orders-worker:worker",
                "name": "worker",
                "role": "dev-orders-worker",
                "policy": new_policy,
            },
            expressions={
                "name": {"constant_value": "worker"},
                "role": {"references": ["aws_iam_role.worker.name", "aws_iam_role.worker"]},
                "policy": {},
            },
        ),
        Res(
            "aws_iam_role",
            "deploy",
            ["update"],
            _role(
                "dev-orders-deploy",
                _trust("repo:acme/orders:ref:refs/heads/main"),
                boundary=BOUNDARY,
                inline=old_inline,
            ),
            _role("dev-orders-deploy", _trust("repo:acme/*"), boundary=None, inline=new_inline),
            expressions={
                "name": {"constant_value": "dev-orders-deploy"},
                "assume_role_policy": {
                    "references": [
                        "data.aws_iam_policy_document.deploy_trust.json",
                        "data.aws_iam_policy_document.deploy_trust",
                    ]
                },
            },
        ),
        Res(
            "aws_iam_role",
            "worker",
            ["no-op"],
            _role(
                "dev-orders-worker",
                _trust("repo:acme/orders:ref:refs/heads/main"),
                boundary=BOUNDARY,
                inline=None,
            ),
            _role(
                "dev-orders-worker",
                _trust("repo:acme/orders:ref:refs/heads/main"),
                boundary=BOUNDARY,
                inline=None,
            ),
        ),
        Res(
            "aws_iam_policy_document",
            "reader",
            ["read"],
            None,
            reader_statements,
            mode="data",
            reason="read_because_config_unknown",
            unknown=[("id",), ("json",), ("minified_json",), ("statement", 0, "resources", 0)],
        ),
        Res(
            "aws_iam_role_policy",
            "reader",
            ["create"],
            None,
            {"name": "reader", "role": "dev-orders-worker"},
            unknown=[("id",), ("policy",)],
            expressions={
                "name": {"constant_value": "reader"},
                "role": {"references": ["aws_iam_role.worker.name", "aws_iam_role.worker"]},
                "policy": {
                    "references": [
                        "data.aws_iam_policy_document.reader.json",
                        "data.aws_iam_policy_document.reader",
                    ]
                },
            },
        ),
        Res(
            "aws_cloudwatch_log_group",
            "worker",
            ["update"],
            {
                "name": "/aws/lambda/dev-orders-worker",
                "retention_in_days": 90,
                "kms_key_id": "",
                "log_group_class": "STANDARD",
                "skip_destroy": False,
                "deletion_protection_enabled": False,
                "tags": {"env": "dev"},
                "arn": arn("logs", "log-group:/aws/lambda/dev-orders-worker"),
            },
            {
                "name": "/aws/lambda/dev-orders-worker",
                "retention_in_days": 7,
                "kms_key_id": "",
                "log_group_class": "STANDARD",
                "skip_destroy": False,
                "deletion_protection_enabled": False,
                "tags": {"env": "dev", "team": "orders"},
                "arn": arn("logs", "log-group:/aws/lambda/dev-orders-worker"),
            },
        ),
        Res(
            "aws_lambda_function",
            "worker",
            ["update"],
            function,
            new_function,
            sensitive=[("environment", 0, "variables", "API_TOKEN")],
            unknown=[("last_modified",)],
        ),
        Res(
            "aws_ssm_parameter",
            "api_token",
            ["update"],
            param,
            new_param,
            sensitive=[("value",)],
            unknown=[("version",)],
        ),
        Res(
            "aws_sqs_queue",
            "main",
            ["create"],
            None,
            _queue("dev-orders-intake"),
            module="module.pipeline.module.queue",
            unknown=[("arn",), ("id",), ("url",), ("tags_all",), ("policy",)],
        ),
    ]


def prd_orders() -> list[Res]:
    """Security posture changes on existing resources, and a new table without PITR."""
    pab = {
        "bucket": "acme-prd-orders-backup",
        "block_public_acls": True,
        "block_public_policy": True,
        "ignore_public_acls": True,
        "restrict_public_buckets": True,
        "skip_destroy": None,
        "id": "acme-prd-orders-backup",
    }
    versioning = {
        "bucket": "acme-prd-orders-backup",
        "expected_bucket_owner": "",
        "id": "acme-prd-orders-backup",
        "mfa": None,
        "versioning_configuration": [{"mfa_delete": "", "status": "Enabled"}],
    }
    sse = {
        "bucket": "acme-prd-orders-backup",
        "expected_bucket_owner": "",
        "id": "acme-prd-orders-backup",
        "rule": [
            {
                "apply_server_side_encryption_by_default": [
                    {"kms_master_key_id": arn("kms", "key/prd-backup"), "sse_algorithm": "aws:kms"}
                ],
                "bucket_key_enabled": True,
            }
        ],
    }
    table_arn = arn("dynamodb", "table/prd-orders")
    return [
        Res(
            "aws_dynamodb_table",
            "orders",
            ["update"],
            _table("prd-orders", pitr=True, protection=True, arn=table_arn, id="prd-orders"),
            _table("prd-orders", pitr=False, protection=False, arn=table_arn, id="prd-orders"),
        ),
        Res(
            "aws_dynamodb_table",
            "sessions",
            ["create"],
            None,
            _table("prd-sessions", pitr=False, protection=True),
            unknown=[("arn",), ("id",), ("stream_arn",), ("stream_label",)],
        ),
        Res(
            "aws_s3_bucket_public_access_block",
            "backup",
            ["update"],
            pab,
            dict(pab, block_public_policy=False, restrict_public_buckets=False),
        ),
        Res(
            "aws_s3_bucket_versioning",
            "backup",
            ["update"],
            versioning,
            dict(versioning, versioning_configuration=[{"mfa_delete": "", "status": "Suspended"}]),
        ),
        Res(
            "aws_s3_bucket_server_side_encryption_configuration",
            "backup",
            ["delete"],
            sse,
            None,
            reason="delete_because_no_resource_config",
            configured=False,
        ),
    ]


def create_only() -> list[Res]:
    """A new service: queue, function, role and jsonencoded policy, nothing else."""
    queue_arn = arn("sqs", "dev-billing-intake")
    trust = policy_json(
        [
            {
                "Action": "sts:AssumeRole",
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
            }
        ]
    )
    policy = policy_json(
        [
            {
                "Action": ["sqs:DeleteMessage", "sqs:ReceiveMessage"],
                "Effect": "Allow",
                "Resource": queue_arn,
            }
        ]
    )
    return [
        Res(
            "aws_sqs_queue",
            "intake",
            ["create"],
            None,
            _queue("dev-billing-intake"),
            unknown=[("arn",), ("id",), ("url",), ("tags_all",), ("policy",)],
        ),
        Res(
            "aws_iam_role",
            "worker",
            ["create"],
            None,
            {
                "name": "dev-billing-worker",
                "assume_role_policy": trust,
                "path": "/",
                "description": None,
                "force_detach_policies": False,
                "max_session_duration": 3600,
                "permissions_boundary": BOUNDARY,
                "tags": {"env": "dev"},
            },
            unknown=[
                ("arn",),
                ("id",),
                ("unique_id",),
                ("create_date",),
                ("inline_policy",),
                ("managed_policy_arns",),
                ("name_prefix",),
                ("tags_all",),
            ],
        ),
        Res(
            "aws_iam_role_policy",
            "worker",
            ["create"],
            None,
            {"name": "worker", "role": "dev-billing-worker", "policy": policy},
            unknown=[("id",)],
        ),
        Res(
            "aws_lambda_function",
            "worker",
            ["create"],
            None,
            {
                "function_name": "dev-billing-worker",
                "handler": "app.handler",
                "runtime": "python3.12",
                "memory_size": 256,
                "timeout": 30,
                "architectures": ["arm64"],
                "environment": [{"variables": {"LOG_LEVEL": "INFO"}}],
                "tracing_config": [{"mode": "Active"}],
                "tags": {"env": "dev"},
            },
            unknown=[("arn",), ("id",), ("role",), ("last_modified",), ("version",)],
        ),
    ]


def write_bad(directory: Path, good: Path) -> None:
    """Files a user might pass by mistake, each exiting 2 with a clear message."""
    directory.mkdir(parents=True, exist_ok=True)
    document = json.loads(good.read_text(encoding="utf-8"))
    state = {
        "format_version": "1.0",
        "terraform_version": "1.9.8",
        "values": document["prior_state"]["values"],
    }
    (directory / "state.json").write_text(json.dumps(state), encoding="utf-8")
    (directory / "format-2.json").write_text(
        json.dumps(dict(document, format_version="2.0")), encoding="utf-8"
    )
    no_version = {k: v for k, v in document.items() if k != "terraform_version"}
    (directory / "no-terraform-version.json").write_text(json.dumps(no_version), encoding="utf-8")
    text = good.read_text(encoding="utf-8")
    (directory / "truncated.json").write_text(text[: len(text) * 2 // 3], encoding="utf-8")
    (directory / "binary.tfplan").write_bytes(b"PK\x03\x04\x14\x00\x08\x00\xff\xfe tfplan")
    (directory / "array.json").write_text("[1, 2, 3]\n", encoding="utf-8")


def write_fixtures(root: Path = HERE) -> None:
    """(Re)write every fixture plan under ``root``."""
    write_plan(root / "dev" / "orders" / "plan.json", dev_orders(), {"env": "dev"})
    write_plan(root / "prd" / "orders" / "plan.json", prd_orders(), {"env": "prd"})
    write_plan(root / "create.json", create_only(), {"env": "dev"})
    write_bad(root / "bad", root / "create.json")


if __name__ == "__main__":
    write_fixtures()
