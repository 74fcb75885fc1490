"""``trellis.yaml``: repository-level settings: how CI installs trellis, and when the
pull-request check is split into shards.

Every field is optional; a repository without the file gets the defaults (trellis from
PyPI at the version that rendered the workflows, the runner's default indexes). The model
is strict and closed like every blueprint model, so a misspelt key is an error with its
position and the allowed keys.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Annotated, Self

from pydantic import AfterValidator, Field, model_validator

from generator.blueprint.kinds.common import StrictModel, rule_error, string_schema

PACKAGE = "trellis-iac"
FILE_NAME = "trellis.yaml"

_VERSION_RE = re.compile(r"^[0-9]+(\.[0-9]+)*((a|b|rc|\.post|\.dev)[0-9]+)*$")
_COMMIT_RE = re.compile(r"^[0-9a-f]{40}$")
_HTTPS_RE = re.compile(r"^https://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~%/+-]*)?$")
_WHEEL_RE = re.compile(r"^[A-Za-z0-9._/-]+\.whl$")


def _version(value: str) -> str:
    if not _VERSION_RE.match(value):
        raise rule_error(
            f"{value!r} is not a release version", allowed="e.g. 0.1.0", hint="quote it: '0.1.0'"
        )
    return value


def _commit(value: str) -> str:
    if not _COMMIT_RE.match(value):
        raise rule_error(
            f"{value!r} is not a full commit SHA",
            allowed="40 lowercase hexadecimal digits",
            hint="pin the exact commit (git rev-parse HEAD), not a branch or tag",
        )
    return value


def _https(value: str) -> str:
    if not _HTTPS_RE.match(value):
        raise rule_error(
            f"{value!r} is not an https URL without credentials",
            allowed="https://host[:port]/path",
            hint="give credentials to pip or npm through the runner's secrets, not this file",
        )
    return value


def _wheel(value: str) -> str:
    path = PurePosixPath(value)
    if not _WHEEL_RE.match(value) or path.is_absolute() or ".." in path.parts:
        raise rule_error(
            f"{value!r} is not a wheel inside the repository",
            allowed="a relative path ending in .whl, e.g. dist/trellis_iac-0.1.0-py3-none-any.whl",
        )
    return value


Version = Annotated[str, AfterValidator(_version), string_schema(_VERSION_RE.pattern, "version")]
Commit = Annotated[str, AfterValidator(_commit), string_schema(_COMMIT_RE.pattern, "commit SHA")]
HttpsUrl = Annotated[str, AfterValidator(_https), string_schema(_HTTPS_RE.pattern, "https URL")]
WheelPath = Annotated[str, AfterValidator(_wheel), string_schema(_WHEEL_RE.pattern, "wheel path")]


class GitSource(StrictModel):
    """trellis built from a git repository at one exact commit."""

    url: HttpsUrl
    commit: Commit


class TrellisSource(StrictModel):
    """Where CI installs trellis from: at most one of ``version``, ``wheel``, ``git``."""

    version: Version | None = None
    wheel: WheelPath | None = None
    git: GitSource | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        given = [name for name in ("version", "wheel", "git") if getattr(self, name) is not None]
        if len(given) > 1:
            raise rule_error(
                f"gives {' and '.join(given)}; CI installs trellis from one source",
                allowed="one of version, wheel, git",
                hint=f"keep {given[0]} and remove the others",
                field=given[1],
            )
        return self

    def requirement(self, rendering_version: str) -> str:
        """The pip requirement CI installs (a path for a wheel, relative to the checkout)."""
        if self.wheel is not None:
            return f"./{self.wheel}"
        if self.git is not None:
            return f"{PACKAGE} @ git+{self.git.url}@{self.git.commit}"
        return f"{PACKAGE}=={self.version or rendering_version}"


class CiSettings(StrictModel):
    """How the generated workflows install what they run."""

    trellis: TrellisSource = Field(default_factory=TrellisSource)
    python_index_url: HttpsUrl | None = None
    npm_registry: HttpsUrl | None = None


#: Above this many blueprint stacks (blueprint x environment, bootstrap stacks not
#: counted) the pull-request check runs as a matrix of shards.
DEFAULT_SHARD_ABOVE_STACKS = 60
#: How many shards (runners) the check is split into once the threshold is crossed.
DEFAULT_SHARDS = 4


class CheckSettings(StrictModel):
    """When the generated pull-request workflow splits ``trellis check`` across runners.

    With more than ``shard_above_stacks`` blueprint stacks, the check job becomes a
    matrix of ``shards`` jobs (``trellis check --shard K/N``) and a final job merges their
    reports (``trellis check --merge``) and uploads one SARIF. At or below it, one job.
    """

    shard_above_stacks: int = Field(default=DEFAULT_SHARD_ABOVE_STACKS, ge=1, le=100_000)
    shards: int = Field(default=DEFAULT_SHARDS, ge=2, le=64)


class Settings(StrictModel):
    """The whole ``trellis.yaml``."""

    ci: CiSettings = Field(default_factory=CiSettings)
    check: CheckSettings = Field(default_factory=CheckSettings)
