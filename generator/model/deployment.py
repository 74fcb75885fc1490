"""The deployment model: everything the templates need, resolved, frozen, free of I/O.

One :class:`Deployment` per blueprint × environment. Names and ARNs are final here; the
renderer only formats them. The model is built by :mod:`generator.model.resolve`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from generator.blueprint.kinds.common import StrictModel
from generator.model.names import resource_prefix

MANAGED_BY = "trellis"


@dataclass(frozen=True)
class Target:
    """Where and how a deployment runs: the environment's facts."""

    env: str
    account_id: str
    region: str
    partition: str
    approval: str
    log_level: str
    log_retention_days: int
    permissions_boundary: str | None
    github_repository: str
    github_branch: str
    deploy_permissions_boundary: str | None = None
    plan_on_pull_request: bool = True
    namespace: str | None = None
    tags: tuple[tuple[str, str], ...] = ()
    """The environment's own tags (``tags:`` in its file), sorted by key."""

    @property
    def prefix(self) -> str:
        """Every resource name of this environment starts with it (``names.resource_prefix``)."""
        return resource_prefix(self.env, self.namespace)

    @property
    def environment_tag_key(self) -> str:
        """The tag whose value is ``env`` on every resource, which the apply role uses to
        scope services whose resources have no names (KMS keys, CloudFront).

        ``env`` alone; ``<namespace>:env`` in a namespaced environment, so the apply role
        of one repository never matches another's resources in a shared account.
        """
        return f"{self.namespace}:env" if self.namespace else "env"

    def arn(self, service: str, resource: str, *, region: bool = True, account: bool = True) -> str:
        """An ARN in this environment's partition, region and account."""
        return ":".join(
            (
                "arn",
                self.partition,
                service,
                self.region if region else "",
                self.account_id if account else "",
                resource,
            )
        )


@dataclass(frozen=True)
class StateBackend:
    """The S3 backend of one root stack (locking with S3's native lockfile)."""

    bucket: str
    key: str
    region: str
    kms_key_id: str
    """The alias ARN of the environment's state key (``alias/trellis-tfstate-<env>``)."""


@dataclass(frozen=True)
class Function:
    """One Lambda function with its role, log group and runtime settings."""

    purpose: str
    name: str
    arn: str
    role_name: str
    role_arn: str
    log_group: str
    log_group_arn: str
    handler: str
    memory_mb: int
    timeout_seconds: int
    environment: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ParameterRead:
    """An SSM parameter a root stack reads at plan time (``data "aws_ssm_parameter"``).

    ``field`` is the spec field that makes the stack read it, for the diagnostic when no
    stack writes it; ``external`` says the blueprint declared it as created outside trellis.
    """

    name: str
    field: tuple[str, ...]
    external: bool = False


class Resources(Protocol):
    """What every kind's resources offer the generic stages; the rest is the kind's own
    (``generator/kinds/<kind>/resources.py``)."""

    @property
    def functions(self) -> tuple[Function, ...]:
        """The Lambda functions of the stack, in a stable order (none for a static site)."""
        ...

    @property
    def parameters_written(self) -> tuple[str, ...]:
        """SSM parameters the stack publishes for other stacks (``aws_ssm_parameter``)."""
        ...

    @property
    def parameters_read(self) -> tuple[ParameterRead, ...]:
        """SSM parameters the stack reads at plan time (``data "aws_ssm_parameter"``): each
        must be written by a stack of the environment that deploys first, or be external."""
        ...


@dataclass(frozen=True)
class Deployment:
    """One blueprint resolved for one environment: the input of every later stage."""

    blueprint: str
    kind: str
    team: str
    description: str | None
    source_file: str
    target: Target
    state: StateBackend
    tags: tuple[tuple[str, str], ...]
    spec: StrictModel
    resources: Resources

    @property
    def key(self) -> str:
        """``<env>/<blueprint>``: the root stack's directory under ``build/``."""
        return f"{self.target.env}/{self.blueprint}"
