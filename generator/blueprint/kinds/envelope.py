"""The common envelope of every blueprint: apiVersion, kind, metadata, spec."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from generator.blueprint.kinds.common import Name, StrictModel
from generator.blueprint.kinds.tags import Tags, check_reserved_tags
from generator.kind_registry import FOLDERS, Kind, spec_model

SPEC_MODELS: dict[str, type[StrictModel]] = {kind: spec_model(kind) for kind in FOLDERS}
"""Every kind's spec model, in the registry's order (:mod:`generator.kind_registry`)."""
API_VERSION = "trellis/v1"


class Metadata(StrictModel):
    """Who owns the blueprint and what it is called."""

    name: Name
    team: Name
    description: str | None = Field(default=None, max_length=1024)
    tags: Tags = Field(default_factory=dict)

    @model_validator(mode="after")
    def _no_own_tags(self) -> Metadata:
        check_reserved_tags(self.tags, team_allowed=False)
        return self


class Envelope(StrictModel):
    """The envelope with ``spec`` left raw; it is validated by the kind's own model."""

    apiVersion: Literal["trellis/v1"]  # camelCase: the YAML key, by contract
    kind: Kind
    metadata: Metadata
    spec: dict[str, Any]
