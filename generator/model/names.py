"""Deterministic AWS resource names within each service's length and character limits.

Every name starts with :func:`resource_prefix` of its environment, then the blueprint
(``prd-orders-...``, or ``acme-prd-orders-...`` in an environment with ``namespace:
acme``), so the deploy roles of an environment can be scoped to its own resources by
that prefix, and two repositories sharing an account never derive the same name. A name
that would be too long keeps its head and ends in ``-`` plus eight hex digits of the
SHA-256 of the full name: stable across runs and machines, and distinct for distinct
inputs.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

HASH_LENGTH = 8


@dataclass(frozen=True)
class NameRule:
    """One service's naming limits."""

    service: str
    max_length: int
    pattern: re.Pattern[str]
    lowercase: bool = False


LAMBDA_FUNCTION = NameRule("lambda function", 64, re.compile(r"^[A-Za-z0-9_-]{1,64}$"))
S3_BUCKET = NameRule(
    "s3 bucket", 63, re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$"), lowercase=True
)
SQS_QUEUE = NameRule("sqs queue", 80, re.compile(r"^[A-Za-z0-9_-]{1,80}$"))
IAM_ROLE = NameRule("iam role", 64, re.compile(r"^[A-Za-z0-9+=,.@_-]{1,64}$"))
DYNAMODB_TABLE = NameRule("dynamodb table", 255, re.compile(r"^[A-Za-z0-9_.-]{3,255}$"))
SNS_TOPIC = NameRule("sns topic", 256, re.compile(r"^[A-Za-z0-9_-]{1,256}$"))
SCHEDULE = NameRule("scheduler schedule", 64, re.compile(r"^[A-Za-z0-9_.-]{1,64}$"))
KMS_ALIAS = NameRule("kms alias", 250, re.compile(r"^[A-Za-z0-9/_-]{1,250}$"))
ALARM = NameRule("cloudwatch alarm", 255, re.compile(r"^[ -~]{1,255}$"))
GENERIC = NameRule("resource", 64, re.compile(r"^[A-Za-z0-9_-]{1,64}$"))


def scope_parts(env: str, namespace: str | None = None) -> tuple[str, ...]:
    """The leading parts of every name in an environment: ``(namespace, env)`` or ``(env,)``."""
    return (namespace, env) if namespace else (env,)


def resource_prefix(env: str, namespace: str | None = None) -> str:
    """The prefix every resource name of an environment starts with: ``"prd-"``, or
    ``"acme-prd-"`` with ``namespace: acme``.

    The one place the prefix is made: derived names (:func:`scoped_name`), the deploy
    roles' names and the apply role's resource scope (``<prefix>*`` in every ARN it may
    change) all follow from it. It ends with ``-``: ``dev-`` cannot match
    ``developer-...``.
    """
    return "-".join(scope_parts(env, namespace)) + "-"


def scoped_name(
    rule: NameRule, env: str, namespace: str | None, *parts: str, suffix: str = ""
) -> str:
    """:func:`make_name` of ``parts`` under the environment's :func:`resource_prefix`."""
    return make_name(rule, *scope_parts(env, namespace), *parts, suffix=suffix)


def short_hash(text: str) -> str:
    """Eight hex digits of the SHA-256 of ``text``."""
    return hashlib.sha256(text.encode()).hexdigest()[:HASH_LENGTH]


def make_name(rule: NameRule, *parts: str, suffix: str = "") -> str:
    """Join ``parts`` with ``-`` and fit the result to ``rule``.

    ``suffix`` (``.fifo``-like endings, ``-dlq``) is kept whole after shortening so that
    related resources stay recognisable. Raises ``ValueError`` when the joined parts
    contain characters the service never allows: the loader's name rules make that an
    internal error, never a user one.
    """
    full = "-".join(p for p in parts if p) + suffix
    if rule.lowercase:
        full = full.lower()
    if len(full) > rule.max_length:
        keep = rule.max_length - len(suffix) - HASH_LENGTH - 1
        head = "-".join(p for p in parts if p)[:keep].rstrip("-_.")
        full = f"{head}-{short_hash(full)}{suffix}"
    if not rule.pattern.match(full):
        msg = f"derived {rule.service} name {full!r} breaks the service's naming rules"
        raise ValueError(msg)
    return full


SSM_ROOT = "/trellis"
"""Root of the SSM parameters trellis stacks publish for each other (bootstrap's default)."""


def ssm_root(namespace: str | None = None) -> str:
    """Root of an environment's SSM parameters: ``/trellis`` or ``/trellis/<namespace>``."""
    return f"{SSM_ROOT}/{namespace}" if namespace else SSM_ROOT


def ssm_environment_path(environment: str, namespace: str | None = None) -> str:
    """The SSM path below which an environment's stacks publish parameters."""
    return f"{ssm_root(namespace)}/{environment}"


def ssm_parameter(environment: str, blueprint: str, leaf: str, namespace: str | None = None) -> str:
    """The SSM parameter a blueprint's stack publishes in an environment."""
    return f"{ssm_environment_path(environment, namespace)}/{blueprint}/{leaf}"


def state_key_alias(environment: str, namespace: str | None = None) -> str:
    """The alias of the KMS key that encrypts an environment's state (created by bootstrap)."""
    return f"alias/trellis-tfstate-{'-'.join(scope_parts(environment, namespace))}"


def state_bucket(
    environment: str, account_id: str, region: str, namespace: str | None = None
) -> str:
    """The environment's Terraform state bucket:
    ``trellis-tfstate-[<namespace>-]<env>-<account>-<region>``.

    It starts with ``trellis-``, never with :func:`resource_prefix`, so the apply role (whose
    S3 grants cover ``<prefix>*``) cannot reconfigure or delete it.
    """
    return make_name(
        S3_BUCKET, "trellis", "tfstate", *scope_parts(environment, namespace), account_id, region
    )
