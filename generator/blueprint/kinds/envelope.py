"""The common envelope of every blueprint: apiVersion, kind, metadata, spec."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal

from pydantic import Field, model_validator

from generator.blueprint.kinds.common import Name, StrictModel
from generator.blueprint.kinds.tags import Tags, check_reserved_tags
from generator.kind_registry import FOLDERS, Kind, spec_model


class _SpecModels(Mapping[str, type[StrictModel]]):
    """Kind → spec model, importing a kind's model only when it is looked up.

    Membership and iteration read the registry's names alone, so ``kind in SPEC_MODELS``
    and ``trellis init``'s choices import no kind; ``SPEC_MODELS[kind]`` imports that one.
    """

    def __getitem__(self, kind: str) -> type[StrictModel]:
        if kind not in FOLDERS:
            raise KeyError(kind)
        return spec_model(kind)

    def __contains__(self, kind: object) -> bool:
        return kind in FOLDERS

    def __iter__(self) -> Iterator[str]:
        return iter(FOLDERS)

    def __len__(self) -> int:
        return len(FOLDERS)


SPEC_MODELS: Mapping[str, type[StrictModel]] = _SpecModels()
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
