"""The small typed records the workflow renderer takes: environments and root stacks.

They are deliberately independent of the blueprint models: the renderer builds them from
the resolved deployment model, and tests build them by hand. Construction validates the
values that end up inside workflow files (names, account ids, regions, repository), so a
bad value fails here with a :class:`ValueError` naming the field instead of producing a
workflow that GitHub or AWS rejects later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Approval = Literal["none", "required"]
Package = Literal["zip", "image"]
Architecture = Literal["arm64", "x86_64"]

#: Lambda's architecture names as the platforms a container build targets.
PLATFORMS: dict[str, str] = {"arm64": "linux/arm64", "x86_64": "linux/amd64"}

_NAME = re.compile(r"^[a-z][a-z0-9-]{1,28}[a-z0-9]$")
_ACCOUNT = re.compile(r"^[0-9]{12}$")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-[0-9]$")
_REPOSITORY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
_BRANCH = re.compile(r"^[A-Za-z0-9._/-]+$")

#: Deploy order: these first, in this order, then any other environment by name.
ENVIRONMENT_ORDER = ("dev", "stg", "prd")


def _require(pattern: re.Pattern[str], value: str, field: str) -> None:
    if not pattern.fullmatch(value):
        raise ValueError(f"{field} {value!r} must match {pattern.pattern}")


@dataclass(frozen=True)
class WorkflowEnvironment:
    """One deployment environment as the workflows see it.

    ``plan_on_pull_request`` False leaves the environment out of pull-request plans (the
    default for environments whose approval is required: see
    ``environments/<env>.yaml`` ``plan_on_pull_request``).

    The deploy role ARNs follow the bootstrap module's naming
    (``trellis-<env>-plan``, ``trellis-<env>-apply``, ``trellis-<env>-image-push``, with
    ``<namespace>-<env>`` in a namespaced environment), so
    they are derived from the account id and the name rather than passed in.

    Raises:
        ValueError: a field does not have the form GitHub or AWS requires.
    """

    name: str
    account_id: str
    region: str
    approval: Approval
    repository: str
    branch: str = "main"
    plan_on_pull_request: bool = True
    namespace: str | None = None

    def __post_init__(self) -> None:
        _require(_NAME, self.name, "environment name")
        _require(_ACCOUNT, self.account_id, f"{self.name}: account_id")
        _require(_REGION, self.region, f"{self.name}: region")
        _require(_REPOSITORY, self.repository, f"{self.name}: github.repository")
        _require(_BRANCH, self.branch, f"{self.name}: github.branch")
        if self.approval not in ("none", "required"):
            raise ValueError(f"{self.name}: approval {self.approval!r} must be none or required")

    @property
    def _scope(self) -> str:
        return f"{self.namespace}-{self.name}" if self.namespace else self.name

    def _role(self, purpose: str) -> str:
        return f"arn:aws:iam::{self.account_id}:role/trellis-{self._scope}-{purpose}"

    def image_repository(self, blueprint: str) -> str:
        """The ECR repository of ``blueprint``'s images in this environment, as bootstrap
        names it: the environment's resource prefix (``dev-``, ``acme-dev-``) + blueprint."""
        return f"{self._scope}-{blueprint}"

    @property
    def plan_role_arn(self) -> str:
        """Read-only role assumable from pull requests and the deploy branch."""
        return self._role("plan")

    @property
    def apply_role_arn(self) -> str:
        """Role assumable only by jobs bound to the GitHub environment ``name``."""
        return self._role("apply")

    @property
    def image_push_role_arn(self) -> str:
        """Role that pushes images to the environment's ECR repositories."""
        return self._role("image-push")

    @property
    def registry(self) -> str:
        """The environment's ECR registry host."""
        return f"{self.account_id}.dkr.ecr.{self.region}.amazonaws.com"

    @property
    def order_key(self) -> tuple[int, str]:
        """Sort key: dev, stg, prd first, then the rest by name."""
        rank = (
            ENVIRONMENT_ORDER.index(self.name)
            if self.name in ENVIRONMENT_ORDER
            else len(ENVIRONMENT_ORDER)
        )
        return (rank, self.name)


@dataclass(frozen=True)
class WorkflowStack:
    """One root stack: ``build/<env>/<blueprint>``, planned and applied on its own.

    ``package`` is the blueprint's packaging; ``image`` stacks get an image built from
    ``image_context`` (default ``build/images/<blueprint>``, a directory holding the
    Dockerfile) for the function's ``architecture`` and pushed to the environment's
    repository (:meth:`WorkflowEnvironment.image_repository`).

    Raises:
        ValueError: a name does not match the blueprint name pattern, or an unknown
            package or architecture.
    """

    env: str
    blueprint: str
    package: Package = "zip"
    image_context: str | None = None
    architecture: Architecture = "arm64"

    def __post_init__(self) -> None:
        _require(_NAME, self.env, "stack env")
        if self.blueprint != "bootstrap":
            _require(_NAME, self.blueprint, f"{self.env}: blueprint")
        if self.package not in ("zip", "image"):
            raise ValueError(f"{self.key}: package {self.package!r} must be zip or image")
        if self.architecture not in PLATFORMS:
            raise ValueError(
                f"{self.key}: architecture {self.architecture!r} must be one of {sorted(PLATFORMS)}"
            )

    @property
    def key(self) -> str:
        """``<env>/<blueprint>``."""
        return f"{self.env}/{self.blueprint}"

    @property
    def directory(self) -> str:
        """The stack's directory relative to the repository root."""
        return f"build/{self.env}/{self.blueprint}"

    @property
    def build_context(self) -> str:
        """Docker build context of an image stack."""
        return self.image_context or f"build/images/{self.blueprint}"

    @property
    def platform(self) -> str:
        """The platform the image is built for: the function's architecture."""
        return PLATFORMS[self.architecture]


_REQUIREMENT = re.compile(r"^[A-Za-z0-9._/:@=+ -]+$")
_URL = re.compile(r"^https://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~%/+-]*)?$")


@dataclass(frozen=True)
class CheckSharding:
    """When the pull-request check runs as shards (``trellis.yaml`` ``check``).

    More than ``above_stacks`` blueprint stacks: ``shards`` check jobs and a merge job.

    Raises:
        ValueError: ``shards`` below 2 or ``above_stacks`` below 1 (the settings model
            refuses these first; this guards other callers).
    """

    above_stacks: int = 60
    shards: int = 4

    def __post_init__(self) -> None:
        if self.shards < 2 or self.above_stacks < 1:
            raise ValueError(f"unusable sharding {self}")

    def shards_for(self, stacks: int) -> int:
        """How many check jobs ``stacks`` blueprint stacks get: 1, or ``shards``."""
        return self.shards if stacks > self.above_stacks else 1


@dataclass(frozen=True)
class Installation:
    """How the workflows install trellis, and from which indexes (``trellis.yaml`` ``ci``),
    and when the check is sharded (``trellis.yaml`` ``check``, :class:`CheckSharding`).

    ``trellis`` is a pip requirement: ``trellis-iac==0.1.0``, ``./dist/<wheel>`` or
    ``trellis-iac @ git+https://...@<sha>``. The indexes, when set, reach pip and npm as
    ``PIP_INDEX_URL`` and ``NPM_CONFIG_REGISTRY`` in the steps that install.

    Raises:
        ValueError: a value holds characters a requirement or URL never needs (it is
            written into the workflow).
    """

    trellis: str
    python_index_url: str | None = None
    npm_registry: str | None = None
    sharding: CheckSharding = CheckSharding()

    def __post_init__(self) -> None:
        _require(_REQUIREMENT, self.trellis, "trellis requirement")
        for field, value in (
            ("python_index_url", self.python_index_url),
            ("npm_registry", self.npm_registry),
        ):
            if value is not None:
                _require(_URL, value, field)
