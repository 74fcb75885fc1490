"""Plans of repositories trellis did not write, each with what a reviewer expects of it.

``python -m tests.review.foreign`` rewrites ``tests/review/foreign_plans/``. Two kinds:

- **Planned offline**: ``foreign_configs/<name>/`` is a small root module in the style of
  the terraform-aws-modules examples (our own code, not theirs), planned by the embedded
  Terraform against trellis's offline provider (``plan_stack``, what ``trellis plan
  --offline`` runs). These are real Terraform create plans, data reads included.
- **Edited**: a change to an existing estate (a queue switched to FIFO, a key removed,
  a module renamed) cannot be planned without state, so it is described as resource
  changes and written in ``terraform show -json``'s layout by :mod:`.planbuilder`, with
  the attributes those modules' resources carry.

:data:`EXPECTATIONS` is the reviewer's side: what must block (and the words naming what
is lost), which IAM changes widen and which are only pending, which hints and posture
rows must appear, and Terraform's own ``Plan:`` summary.
"""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.review.planbuilder import ACCOUNT, REGION, Res, arn, policy_json, write_plan

HERE = Path(__file__).parent
PLANS = HERE / "foreign_plans"
CONFIGS = HERE / "foreign_configs"
OFFLINE = ("sqs-complete", "s3-complete")


@dataclass(frozen=True)
class Expectation:
    """What a platform reviewer expects the review of one foreign plan to say."""

    summary: dict[str, int]
    blocking: dict[str, str] = field(default_factory=dict)
    """address → a phrase the reason must contain (what is lost)."""
    widening: frozenset[tuple[str, str]] = frozenset()
    """(address, document) of every IAM change that widens access."""
    pending: frozenset[tuple[str, str]] = frozenset()
    narrowing: frozenset[tuple[str, str]] = frozenset()
    """IAM changes that let nobody new in (narrowed, or swapped like for like)."""
    hints: frozenset[tuple[str, str]] = frozenset()
    """(address, rule) of every hint."""
    posture: frozenset[tuple[str, str]] = frozenset()
    """(address, rule) of every posture row."""
    moved: str = ""
    """A ``moved`` block the hints must suggest, verbatim."""


def _s(*pairs: tuple[str, str]) -> frozenset[tuple[str, str]]:
    return frozenset(pairs)


EXPECTATIONS: dict[str, Expectation] = {
    "sqs-complete": Expectation(
        summary={"add": 6, "change": 0, "destroy": 0, "forget": 0, "read": 1},
        widening=_s(("module.orders.aws_sqs_queue_policy.this", "policy")),
    ),
    "s3-complete": Expectation(
        summary={"add": 7, "change": 0, "destroy": 0, "forget": 0, "read": 1},
        widening=_s(
            ("module.log_bucket.aws_s3_bucket_acl.this", "acl"),
            ("module.log_bucket.aws_s3_bucket_policy.this", "policy"),
        ),
    ),
    "sqs-fifo": Expectation(
        summary={"add": 3, "change": 1, "destroy": 3, "forget": 0, "read": 1},
        blocking={
            "module.orders.aws_sqs_queue.this": "messages in flight",
            "module.orders.aws_sqs_queue.dlq": "queue URL that producers use",
        },
        pending=_s(("module.orders.aws_sqs_queue_policy.this", "policy")),
        posture=_s(("module.orders.aws_sqs_queue.dlq", "data-retention-shortened")),
    ),
    "kms-complete": Expectation(
        summary={"add": 0, "change": 1, "destroy": 2, "forget": 0, "read": 1},
        blocking={"module.kms_external.aws_kms_external_key.this": "key material"},
        widening=_s(("module.kms.aws_kms_key.this", "policy")),
        narrowing=_s(("module.kms_external.aws_kms_external_key.this", "policy")),
        hints=_s(
            ("module.kms_external.aws_kms_external_key.this", "kms-deletion-window"),
            ("module.kms_external.aws_kms_external_key.this", "prevent-destroy"),
        ),
        posture=_s(
            ("module.kms.aws_kms_key.this", "key-rotation-off"),
            ("module.kms.aws_kms_key.this", "kms-deletion-window-shortened"),
        ),
    ),
    "s3-renamed": Expectation(
        summary={"add": 1, "change": 2, "destroy": 1, "forget": 0, "read": 0},
        blocking={"module.s3_bucket.aws_s3_bucket.this": "objects"},
        widening=_s(("module.logs.aws_s3_bucket_acl.this", "acl")),
        narrowing=_s(("module.logs.aws_s3_bucket_policy.this", "policy")),
        hints=_s(
            ("module.s3_bucket.aws_s3_bucket.this", "force-destroy"),
            ("module.s3_bucket.aws_s3_bucket.this", "missing-moved"),
            ("module.s3_bucket.aws_s3_bucket.this", "prevent-destroy"),
        ),
        moved="moved {\n  from = module.s3_bucket\n  to   = module.log_bucket\n}",
    ),
    "rds-replica": Expectation(
        summary={"add": 1, "change": 1, "destroy": 2, "forget": 0, "read": 0},
        blocking={"module.replica.aws_db_instance.this": "database's data"},
        hints=_s(
            ("module.replica.aws_db_instance.this", "deletion-protection"),
            ("module.replica.aws_db_instance.this", "final-snapshot"),
            ("module.replica.aws_db_instance.this", "prevent-destroy"),
        ),
        posture=_s(
            ("module.db.aws_db_instance.this", "backup-retention-shortened"),
            ("module.db.aws_db_instance.this", "deletion-protection-off"),
        ),
    ),
    "iam-wildcards": Expectation(
        summary={"add": 1, "change": 3, "destroy": 1, "forget": 0, "read": 1},
        widening=_s(
            ("module.role.aws_iam_role.this", "assume_role_policy"),
            ("module.role.aws_iam_role.this", "permissions_boundary"),
            ("module.policy.aws_iam_policy.this", "policy"),
            ("module.secret.aws_secretsmanager_secret_policy.this", "policy"),
        ),
        pending=_s(("module.role.aws_iam_role_policy.inline", "policy")),
        narrowing=_s(("module.legacy.aws_iam_policy.this", "policy")),
    ),
}


# --------------------------------------------------------------------------- sqs-fifo
# terraform-aws-modules/sqs style: a queue with its dead-letter queue, switched to FIFO.


def _queue(name: str, *, fifo: bool, retention: int, redrive: str | None) -> dict[str, object]:
    suffix = ".fifo" if fifo else ""
    return {
        "arn": arn("sqs", f"{name}{suffix}"),
        "content_based_deduplication": fifo,
        "deduplication_scope": "messageGroup" if fifo else "",
        "delay_seconds": 0,
        "fifo_queue": fifo,
        "fifo_throughput_limit": "perMessageGroupId" if fifo else "",
        "id": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}{suffix}",
        "kms_data_key_reuse_period_seconds": 300,
        "kms_master_key_id": "alias/aws/sqs",
        "max_message_size": 262144,
        "message_retention_seconds": retention,
        "name": f"{name}{suffix}",
        "receive_wait_time_seconds": 0,
        "redrive_policy": redrive,
        "sqs_managed_sse_enabled": False,
        "tags": {"Example": "ex-sqs"},
        "url": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}{suffix}",
        "visibility_timeout_seconds": 60,
    }


def _topic_policy(queue: str, topic: str) -> str:
    return policy_json(
        [
            {
                "Sid": "AllowTopic",
                "Effect": "Allow",
                "Principal": {"Service": "sns.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": arn("sqs", queue),
                "Condition": {"ArnEquals": {"aws:SourceArn": arn("sns", topic)}},
            }
        ]
    )


def _queue_document(queue: str | None, topic: str | None) -> dict[str, object]:
    """The planned ``statement`` blocks of the module's queue policy document."""
    return {
        "statement": [
            {
                "actions": ["sqs:SendMessage"],
                "condition": [
                    {"test": "ArnEquals", "values": [topic], "variable": "aws:SourceArn"}
                ],
                "effect": "Allow",
                "principals": [{"identifiers": ["sns.amazonaws.com"], "type": "Service"}],
                "resources": [queue],
                "sid": "AllowTopic",
            }
        ]
    }


def sqs_fifo() -> list[Res]:
    """Queue and DLQ replaced (FIFO), the topic with them; the policy waits for the new ARNs."""
    dlq_old = _queue("ex-sqs-dlq", fifo=False, retention=1209600, redrive=None)
    dlq_new = _queue("ex-sqs-dlq", fifo=True, retention=345600, redrive=None)
    redrive_old = json.dumps({"deadLetterTargetArn": dlq_old["arn"], "maxReceiveCount": 5})
    queue_old = _queue("ex-sqs", fifo=False, retention=345600, redrive=redrive_old)
    queue_new = _queue("ex-sqs", fifo=True, retention=345600, redrive=None)
    topic_old = {"arn": arn("sns", "ex-sqs-events"), "fifo_topic": False, "name": "ex-sqs-events"}
    topic_new = {"fifo_topic": True, "name": "ex-sqs-events.fifo"}
    computed = [("arn",), ("id",), ("url",)]
    for values in (dlq_new, queue_new):
        for (key,) in computed:
            values.pop(key)
    queue_new.pop("redrive_policy")
    replace = {
        "replace_paths": [["fifo_queue"], ["name"]],
        "reason": "replace_because_cannot_update",
    }
    return [
        Res(
            "aws_sqs_queue",
            "dlq",
            ["delete", "create"],
            dlq_old,
            dlq_new,
            module="module.orders",
            unknown=computed,
            **replace,  # type: ignore[arg-type]
        ),
        Res(
            "aws_sqs_queue",
            "this",
            ["delete", "create"],
            queue_old,
            queue_new,
            module="module.orders",
            unknown=[*computed, ("redrive_policy",)],
            **replace,  # type: ignore[arg-type]
        ),
        Res(
            "aws_sns_topic",
            "events",
            ["delete", "create"],
            topic_old,
            topic_new,
            unknown=[("arn",), ("id",)],
            replace_paths=[["fifo_topic"], ["name"]],
            reason="replace_because_cannot_update",
        ),
        Res(
            "aws_sqs_queue_policy",
            "this",
            ["update"],
            {
                "id": queue_old["url"],
                "policy": _topic_policy("ex-sqs", "ex-sqs-events"),
                "queue_url": queue_old["url"],
            },
            {"id": queue_old["url"]},
            module="module.orders",
            unknown=[("policy",), ("queue_url",)],
            expressions={
                "policy": {
                    "references": [
                        "data.aws_iam_policy_document.this.json",
                        "data.aws_iam_policy_document.this",
                    ]
                },
                "queue_url": {"references": ["aws_sqs_queue.this.url", "aws_sqs_queue.this"]},
            },
        ),
        Res(
            "aws_iam_policy_document",
            "this",
            ["read"],
            None,
            _queue_document(None, None),
            module="module.orders",
            mode="data",
            unknown=[
                ("json",),
                ("id",),
                ("minified_json",),
                ("statement", 0, "resources", 0),
                ("statement", 0, "condition", 0, "values", 0),
            ],
            reason="read_because_config_unknown",
        ),
    ]


# --------------------------------------------------------------------------- kms-complete
# terraform-aws-modules/kms style: the external key's module removed, rotation turned off.

ADMIN = f"arn:aws:iam::{ACCOUNT}:role/admin"


def _key_policy(extra: list[dict[str, object]]) -> str:
    return policy_json(
        [
            {
                "Sid": "Default",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Sid": "KeyAdministration",
                "Effect": "Allow",
                "Principal": {"AWS": ADMIN},
                "Action": ["kms:Describe*", "kms:Get*", "kms:ScheduleKeyDeletion"],
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-exampleorg"}},
            },
            *extra,
        ]
    )


def _key(rotation: bool, window: int, policy: str) -> dict[str, object]:
    return {
        "arn": arn("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        "bypass_policy_lockout_safety_check": False,
        "customer_master_key_spec": "SYMMETRIC_DEFAULT",
        "deletion_window_in_days": window,
        "description": "ex-kms complete",
        "enable_key_rotation": rotation,
        "id": "1234abcd-12ab-34cd-56ef-1234567890ab",
        "is_enabled": True,
        "key_id": "1234abcd-12ab-34cd-56ef-1234567890ab",
        "key_usage": "ENCRYPT_DECRYPT",
        "multi_region": False,
        "policy": policy,
        "rotation_period_in_days": 365 if rotation else 0,
        "tags": {"Example": "ex-kms"},
    }


def kms_complete() -> list[Res]:
    """External key deleted with its module; the default key loses rotation and window."""
    external = {
        "arn": arn("kms", "key/external-0000"),
        "deletion_window_in_days": 7,
        "description": "ex-kms external",
        "enabled": True,
        "id": "external-0000",
        "key_material_base64": "",
        "policy": _key_policy([]),
        "tags": {"Example": "ex-kms"},
    }
    everyone = {
        "Sid": "AllowAccountUse",
        "Effect": "Allow",
        "Principal": {"AWS": "*"},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
        "Resource": "*",
        "Condition": {"StringEquals": {"kms:CallerAccount": ACCOUNT}},
    }
    return [
        Res(
            "aws_kms_external_key",
            "this",
            ["delete"],
            external,
            None,
            module="module.kms_external",
            reason="delete_because_no_module",
            configured=False,
            sensitive=[("key_material_base64",)],
        ),
        Res(
            "aws_kms_alias",
            "this",
            ["delete"],
            {"id": "alias/ex-kms-external", "name": "alias/ex-kms-external"},
            None,
            module="module.kms_external",
            index="external",
            reason="delete_because_no_module",
            configured=False,
        ),
        Res(
            "aws_kms_key",
            "this",
            ["update"],
            _key(True, 30, _key_policy([])),
            _key(False, 7, _key_policy([everyone])),
            module="module.kms",
        ),
        Res(
            "aws_iam_policy_document",
            "grants",
            ["read"],
            None,
            {"statement": [{"actions": ["kms:Decrypt"], "effect": "Allow"}]},
            module="module.kms",
            mode="data",
            unknown=[("json",), ("id",)],
            reason="read_because_config_unknown",
        ),
    ]


# --------------------------------------------------------------------------- s3-renamed
# terraform-aws-modules/s3-bucket style: module "s3_bucket" renamed "log_bucket".

LOG_DELIVERY_OWNER = "c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d6"
PARTNER = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"


def _bucket(name: str) -> dict[str, object]:
    return {
        "arn": f"arn:aws:s3:::{name}",
        "bucket": name,
        "force_destroy": True,
        "id": name,
        "object_lock_enabled": False,
        "tags": {"Example": "ex-s3"},
    }


def _acl(grants: list[tuple[str, str]]) -> dict[str, object]:
    return {
        "access_control_policy": [
            {
                "grant": [
                    {
                        "grantee": [
                            {"email_address": "", "id": who, "type": "CanonicalUser", "uri": ""}
                        ],
                        "permission": permission,
                    }
                    for who, permission in grants
                ],
                "owner": [{"display_name": "", "id": LOG_DELIVERY_OWNER}],
            }
        ],
        "acl": "",
        "bucket": "ex-s3-logs",
        "expected_bucket_owner": "",
        "id": "ex-s3-logs",
    }


def _trail_policy(trail: str) -> str:
    return policy_json(
        [
            {
                "Sid": "AWSCloudTrailWrite",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "s3:PutObject",
                "Resource": "arn:aws:s3:::ex-s3-logs/AWSLogs/*",
                "Condition": {"StringEquals": {"aws:SourceArn": arn("cloudtrail", trail)}},
            }
        ]
    )


def s3_renamed() -> list[Res]:
    """The bucket moves module without a moved block; the logs' ACL grants another account."""
    owner = (LOG_DELIVERY_OWNER, "FULL_CONTROL")
    return [
        Res(
            "aws_s3_bucket",
            "this",
            ["delete"],
            _bucket("ex-s3-complete"),
            None,
            module="module.s3_bucket",
            reason="delete_because_no_module",
            configured=False,
        ),
        Res(
            "aws_s3_bucket",
            "this",
            ["create"],
            None,
            _bucket("ex-s3-complete"),
            module="module.log_bucket",
            unknown=[("arn",), ("id",)],
        ),
        Res(
            "aws_s3_bucket_acl",
            "this",
            ["update"],
            _acl([owner]),
            _acl([owner, (PARTNER, "READ")]),
            module="module.logs",
        ),
        Res(
            "aws_s3_bucket_policy",
            "this",
            ["update"],
            {"bucket": "ex-s3-logs", "id": "ex-s3-logs", "policy": _trail_policy("trail/old")},
            {"bucket": "ex-s3-logs", "id": "ex-s3-logs", "policy": _trail_policy("trail/main")},
            module="module.logs",
        ),
    ]


# --------------------------------------------------------------------------- rds-replica
# terraform-aws-modules/rds style: the replica removed, the primary's backups shortened.


def _db(identifier: str, *, retention: int, protection: bool) -> dict[str, object]:
    return {
        "allocated_storage": 20,
        "arn": arn("rds", f"db:{identifier}"),
        "backup_retention_period": retention,
        "deletion_protection": protection,
        "engine": "postgres",
        "engine_version": "16.4",
        "id": identifier,
        "identifier": identifier,
        "instance_class": "db.t4g.large",
        "skip_final_snapshot": True,
        "storage_encrypted": True,
        "tags": {"Example": "ex-rds"},
    }


def rds_replica() -> list[Res]:
    """A protected replica deleted without a final snapshot; the primary's backups cut."""
    group_old = {"family": "postgres15", "id": "ex-rds-pg", "name": "ex-rds-pg"}
    group_new = {"family": "postgres16", "id": "ex-rds-pg", "name": "ex-rds-pg"}
    return [
        Res(
            "aws_db_instance",
            "this",
            ["delete"],
            _db("ex-rds-replica", retention=0, protection=True),
            None,
            module="module.replica",
            reason="delete_because_no_module",
            configured=False,
        ),
        Res(
            "aws_db_instance",
            "this",
            ["update"],
            _db("ex-rds", retention=7, protection=True),
            _db("ex-rds", retention=1, protection=False),
            module="module.db",
        ),
        Res(
            "aws_db_parameter_group",
            "this",
            ["create", "delete"],
            group_old,
            group_new,
            module="module.db",
            replace_paths=[["family"]],
            reason="replace_because_cannot_update",
        ),
    ]


# --------------------------------------------------------------------------- iam-wildcards
# terraform-aws-modules/iam style: an assumable role loosened, a policy given s3:*.


def _trust(external_id: bool) -> str:
    statement: dict[str, object] = {
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
        "Action": "sts:AssumeRole",
    }
    if external_id:
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": "ex-iam-partner"}}
    return policy_json([statement])


def iam_wildcards() -> list[Res]:
    """A removed condition and boundary, s3:*, a public secret, a pending and a deleted one."""
    role = {
        "arn": f"arn:aws:iam::{ACCOUNT}:role/ex-iam-partner",
        "id": "ex-iam-partner",
        "max_session_duration": 3600,
        "name": "ex-iam-partner",
        "path": "/",
    }
    boundary = f"arn:aws:iam::{ACCOUNT}:policy/ex-iam-boundary"
    read = {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::ex-iam/*"}
    secret_arn = arn("secretsmanager", "secret:ex-iam-abc123")
    return [
        Res(
            "aws_iam_role",
            "this",
            ["update"],
            dict(role, assume_role_policy=_trust(True), permissions_boundary=boundary),
            dict(role, assume_role_policy=_trust(False), permissions_boundary=None),
            module="module.role",
        ),
        Res(
            "aws_iam_policy",
            "this",
            ["update"],
            {
                "arn": f"arn:aws:iam::{ACCOUNT}:policy/ex-iam",
                "name": "ex-iam",
                "policy": policy_json([read]),
            },
            {
                "arn": f"arn:aws:iam::{ACCOUNT}:policy/ex-iam",
                "name": "ex-iam",
                "policy": policy_json([dict(read, Action=["s3:*"])]),
            },
            module="module.policy",
        ),
        Res(
            "aws_secretsmanager_secret_policy",
            "this",
            ["update"],
            {
                "policy": policy_json(
                    [
                        {
                            "Effect": "Allow",
                            "Principal": {"AWS": ADMIN},
                            "Action": "secretsmanager:GetSecretValue",
                            "Resource": secret_arn,
                        }
                    ]
                ),
                "secret_arn": secret_arn,
            },
            {
                "policy": policy_json(
                    [
                        {
                            "Effect": "Allow",
                            "Principal": {"AWS": [ADMIN, "*"]},
                            "Action": "secretsmanager:GetSecretValue",
                            "Resource": secret_arn,
                        }
                    ]
                ),
                "secret_arn": secret_arn,
            },
            module="module.secret",
        ),
        Res(
            "aws_iam_role_policy",
            "inline",
            ["create"],
            None,
            {"name": "ex-iam-inline", "role": "ex-iam-partner"},
            module="module.role",
            unknown=[("policy",), ("id",)],
            expressions={
                "name": {"constant_value": "ex-iam-inline"},
                "policy": {"references": ["aws_s3_bucket.this.arn", "aws_s3_bucket.this"]},
            },
        ),
        Res(
            "aws_iam_policy_document",
            "unused",
            ["read"],
            None,
            {"statement": []},
            module="module.role",
            mode="data",
            unknown=[("json",), ("id",)],
            reason="read_because_dependency_pending",
        ),
        Res(
            "aws_iam_policy",
            "this",
            ["delete"],
            {
                "arn": f"arn:aws:iam::{ACCOUNT}:policy/ex-iam-legacy",
                "name": "ex-iam-legacy",
                "policy": policy_json(
                    [
                        dict(read, Condition={"Bool": {"aws:SecureTransport": "true"}}),
                        {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"},
                    ]
                ),
            },
            None,
            module="module.legacy",
            reason="delete_because_no_module",
            configured=False,
        ),
    ]


EDITED = {
    "sqs-fifo": sqs_fifo,
    "kms-complete": kms_complete,
    "s3-renamed": s3_renamed,
    "rds-replica": rds_replica,
    "iam-wildcards": iam_wildcards,
}


def plan_path(name: str, root: Path = PLANS) -> Path:
    """Where the plan of one foreign example lives: ``<root>/<name>/plan.json``."""
    return root / name / "plan.json"


def write_edited(root: Path = PLANS) -> None:
    """Write every edited foreign plan under ``root``."""
    for name, describe in EDITED.items():
        write_plan(plan_path(name, root), describe())


def write_offline(root: Path = PLANS) -> None:
    """Plan every offline foreign configuration with the embedded Terraform (slow)."""
    from generator.offline_provider import plan_stack

    for name in OFFLINE:
        out = root / name
        scratch = out.with_name(f"{name}.tmp")
        plan_stack(CONFIGS / name, scratch)
        out.mkdir(parents=True, exist_ok=True)
        (out / "plan.json").write_bytes((scratch / "plan.json").read_bytes())
        shutil.rmtree(scratch)


if __name__ == "__main__":
    write_edited()
    if "--edited-only" not in sys.argv:
        write_offline()
    print(f"wrote {PLANS}")
