"""The one reviewed list of actions allowed on resource ``*``.

Some actions are defined by AWS on no resource type (``xray:PutTraceSegments``): a policy
can only grant them on ``*``. Every such action trellis grants must be listed, with the
reason, in ``policies/iam/wildcard-resources.yaml``; the derivation refuses to emit ``*``
for anything else and the IAM lint reports any other ``Resource: "*"``.

File format::

    apiVersion: trellis/v1
    kind: IamWildcardResources
    actions:
      - action: xray:PutTraceSegments
        reason: X-Ray defines no resource type for this action; ...

What can go wrong: the file is missing, not YAML, has unknown keys, an action that is not
``service:Action``, a reason shorter than 20 characters, or an action listed twice; each is a
:class:`~generator.errors.UserError` naming the file and line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from generator import builtin_policies
from generator.iam.policyfiles import display_path, load_model

WILDCARD_FILE_NAME = "wildcard-resources.yaml"
WILDCARD_KIND = "IamWildcardResources"
ACTION_PATTERN = r"^[a-z0-9-]+:[A-Za-z0-9]+$"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    action: str = Field(pattern=ACTION_PATTERN)
    reason: str = Field(min_length=20)


class _WildcardFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    api_version: Literal["trellis/v1"] = Field(alias="apiVersion")
    kind: Literal["IamWildcardResources"]
    actions: list[_Entry]

    @field_validator("actions")
    @classmethod
    def _unique(cls, entries: list[_Entry]) -> list[_Entry]:
        seen: set[str] = set()
        for entry in entries:
            if entry.action.lower() in seen:
                raise ValueError(f"{entry.action} is listed twice; keep one entry per action")
            seen.add(entry.action.lower())
        return entries


@dataclass(frozen=True)
class WildcardAllowList:
    """Actions that may be granted on resource ``*``, each with the reviewed reason.

    ``source`` is the file the list came from (for messages).
    """

    reasons: Mapping[str, str]
    source: str = WILDCARD_FILE_NAME

    def allows(self, action: str) -> bool:
        """Whether ``action`` (case-insensitive, as IAM compares actions) is listed."""
        wanted = action.lower()
        return any(listed.lower() == wanted for listed in self.reasons)

    def reason(self, action: str) -> str | None:
        """The reviewed reason for ``action``, or ``None`` when it is not listed."""
        wanted = action.lower()
        for listed, reason in self.reasons.items():
            if listed.lower() == wanted:
                return reason
        return None


def builtin_policies_dir() -> Path:
    """trellis' own ``policies/iam`` directory (package data, or the checkout's)."""
    return builtin_policies.builtin_policies_dir() / "iam"


def load_wildcard_allowlist(
    path: Path | None = None, *, root: Path | None = None
) -> WildcardAllowList:
    """Read the reviewed list from ``path`` (default: trellis' own ``policies/iam`` file).

    Raises :class:`~generator.errors.UserError` for a missing or malformed file.
    """
    if path is None:
        path = builtin_policies_dir() / WILDCARD_FILE_NAME
        root = root or path.parents[2]
    parsed = load_model(path, _WildcardFile, kind=WILDCARD_KIND, root=root)
    return WildcardAllowList(
        reasons={entry.action: entry.reason for entry in parsed.actions},
        source=display_path(path, root),
    )
