"""The blueprint kinds trellis knows, and the one table that lists them.

A kind is one folder, ``generator/kinds/<folder>/``, holding everything it contributes:

- ``blueprint.py``: the pydantic model of its ``spec`` (``SPEC_MODEL``);
- ``plugin.py``: ``PLUGIN``, a :class:`~generator.kinds.base.KindPlugin` that resolves
  the spec into named resources, wires its functions for IAM, chooses its templates and
  draws its data flow, usually by calling the folder's ``resolve.py``, ``derive.py``,
  ``render.py`` and ``graph.py``.

The stages never name a kind: they look its contribution up here. The folders are
imported on first use, so this module sits below every stage (the loader asks it for
spec models) while the plugins may use every stage's machinery.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from generator.blueprint.kinds.common import StrictModel
    from generator.kinds.base import KindPlugin

Kind = Literal["IngestionPipeline", "AuthFlow", "StaticSite"]
"""The ``kind:`` values a blueprint may have (the keys of :data:`FOLDERS`)."""

FOLDERS: dict[Kind, str] = {
    "IngestionPipeline": "ingestion",
    "AuthFlow": "auth_flow",
    "StaticSite": "static_site",
}
"""Each kind's folder under ``generator/kinds/``: the only list of kinds."""


def _folder(kind: str) -> str:
    try:
        return f"generator.kinds.{FOLDERS[kind]}"  # type: ignore[index]
    except KeyError:
        msg = f"no blueprint kind {kind!r}; known: {', '.join(FOLDERS)}"
        raise LookupError(msg) from None


def spec_model(kind: str) -> type[StrictModel]:
    """The pydantic model of ``kind``'s ``spec``. Raises ``LookupError`` for an unknown kind."""
    model: type[StrictModel] = import_module(f"{_folder(kind)}.blueprint").SPEC_MODEL
    return model


def kinds_running(local_run: str) -> list[str]:
    """The kinds ``trellis run`` runs as ``local_run`` (``"pipeline"`` or ``"login"``)."""
    return [kind for kind in FOLDERS if plugin(kind).local_run == local_run]


def plugin(kind: str) -> KindPlugin:
    """What ``kind`` contributes to resolve, derive, render and graph.

    Raises ``LookupError`` for an unknown kind (the loader never lets one through).
    """
    found: KindPlugin = import_module(f"{_folder(kind)}.plugin").PLUGIN
    return found
