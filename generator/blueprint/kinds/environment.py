"""``environments/<name>.yaml``: where a blueprint is deployed and how verbose it is."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, WithJsonSchema, model_validator

from generator.blueprint.kinds.common import Name, StrictModel, rule_error, string_schema
from generator.blueprint.kinds.tags import Namespace, Tags, check_reserved_tags
from runtime.contract.common import LogLevel

CLOUDWATCH_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)
_ACCOUNT_RE = re.compile(r"^[0-9]{12}$")
_REGION_RE = re.compile(r"^(us|eu|ap|sa|ca|me|af|il|mx)(-gov)?-[a-z]+-[0-9]$")
_REPOSITORY_RE = re.compile(r"^[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}$")
_BRANCH_RE = re.compile(r"^[A-Za-z0-9._/-]{1,255}$")
_POLICY_ARN_RE = re.compile(r"^arn:aws[a-z-]*:iam::[0-9]{12}:policy/[A-Za-z0-9+=,.@_/-]+$")


def _account(value: str) -> str:
    if not _ACCOUNT_RE.match(value):
        raise rule_error(
            f"{value!r} is not a 12-digit AWS account id",
            allowed="exactly 12 digits, quoted",
            hint='write it as "123456789012"',
        )
    return value


def _region(value: str) -> str:
    if not _REGION_RE.match(value):
        raise rule_error(f"{value!r} is not an AWS region", allowed="e.g. ap-southeast-1")
    return value


def _repository(value: str) -> str:
    if not _REPOSITORY_RE.match(value):
        raise rule_error(f"{value!r} is not a GitHub repository", allowed="owner/name")
    return value


def _branch(value: str) -> str:
    if not _BRANCH_RE.match(value) or ".." in value:
        raise rule_error(f"{value!r} is not a branch name", allowed="e.g. main")
    return value


def _retention(value: int) -> int:
    if value not in CLOUDWATCH_RETENTION_DAYS:
        nearest = min(CLOUDWATCH_RETENTION_DAYS, key=lambda d: abs(d - value))
        raise rule_error(
            f"{value} is not a CloudWatch retention period",
            allowed=", ".join(map(str, CLOUDWATCH_RETENTION_DAYS)),
            hint=f"use {nearest}",
        )
    return value


def _policy_arn(value: str) -> str:
    if not _POLICY_ARN_RE.match(value):
        raise rule_error(
            f"{value!r} is not an IAM policy ARN", allowed="arn:aws:iam::<account>:policy/<name>"
        )
    return value


S3_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")


def _environment_name(value: str) -> str:
    for prefix in S3_RESERVED_PREFIXES:
        if value.startswith(prefix):
            raise rule_error(
                f"{value!r} starts with {prefix!r}, which S3 reserves; bucket names begin "
                "with the environment name",
                allowed="a name not starting with xn--, sthree- or amzn-s3-demo-",
                hint=f"try {value.removeprefix(prefix).strip('-') or 'dev'!r}",
            )
    return value


EnvironmentName = Annotated[Name, AfterValidator(_environment_name)]
AccountId = Annotated[
    str,
    AfterValidator(_account),
    string_schema(_ACCOUNT_RE.pattern, "12-digit AWS account id, quoted"),
]
Region = Annotated[str, AfterValidator(_region), string_schema(_REGION_RE.pattern, "AWS region")]
Repository = Annotated[
    str,
    AfterValidator(_repository),
    string_schema(_REPOSITORY_RE.pattern, "GitHub owner/name"),
]
Branch = Annotated[str, AfterValidator(_branch), string_schema(_BRANCH_RE.pattern, "branch name")]
RetentionDays = Annotated[
    int,
    AfterValidator(_retention),
    WithJsonSchema(
        {
            "type": "integer",
            "enum": list(CLOUDWATCH_RETENTION_DAYS),
            "description": "one of CloudWatch Logs' retention periods",
        }
    ),
]
PolicyArn = Annotated[
    str,
    AfterValidator(_policy_arn),
    string_schema(_POLICY_ARN_RE.pattern, "IAM managed policy ARN"),
]


class GitHub(StrictModel):
    """The repository whose workflows deploy this environment."""

    repository: Repository
    branch: Branch = "main"


class Log(StrictModel):
    """Verbosity and retention of every function's logs in this environment."""

    level: LogLevel = "INFO"
    retention_days: RetentionDays = 365


class Environment(StrictModel):
    """One deployment target: account, region, approval and logging."""

    name: EnvironmentName
    account_id: AccountId
    region: Region
    approval: Literal["none", "required"] = "none"
    github: GitHub
    log: Log = Field(default_factory=Log)
    permissions_boundary: PolicyArn | None = None
    deploy_permissions_boundary: PolicyArn | None = None
    plan_on_pull_request: bool | None = Field(
        default=None,
        description="plan this environment's changed stacks on pull requests (default: "
        "true, false when approval is required)",
    )
    overrides: dict[str, dict[str, Any]] = Field(default_factory=dict)
    namespace: Namespace | None = Field(
        default=None,
        description="Prefix of every resource name, state key and deploy role (default: "
        "none, names start with the environment).",
    )
    tags: Tags = Field(default_factory=dict)

    @model_validator(mode="after")
    def _no_own_tags(self) -> Environment:
        own_env_key = f"{self.namespace}:env" if self.namespace else ""
        check_reserved_tags(self.tags, team_allowed=True, extra=own_env_key)
        return self

    @model_validator(mode="after")
    def _deploy_boundary_differs(self) -> Environment:
        if (
            self.deploy_permissions_boundary is not None
            and self.deploy_permissions_boundary == self.permissions_boundary
        ):
            raise rule_error(
                "deploy_permissions_boundary is the workload boundary: it would cap what the "
                "apply role can create (CloudFront, WAF, KMS, IAM)",
                allowed="a boundary written for the deploy roles, or none",
                hint="remove deploy_permissions_boundary, or name a policy that allows what "
                "the stacks create",
                field="deploy_permissions_boundary",
            )
        return self

    @property
    def plans_on_pull_request(self) -> bool:
        """``plan_on_pull_request``, defaulting to False where approval is required: a pull
        request's plan role then never reads a production account unless it opts in."""
        if self.plan_on_pull_request is not None:
            return self.plan_on_pull_request
        return self.approval != "required"

    @property
    def partition(self) -> str:
        """The ARN partition of the region."""
        if self.region.startswith("cn-"):
            return "aws-cn"
        return "aws-us-gov" if "-gov-" in self.region else "aws"
