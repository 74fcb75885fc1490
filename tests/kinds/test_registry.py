"""The kind registry: one table, every kind a complete folder, lookups that fail clearly."""

from __future__ import annotations

from typing import get_args

import pytest

from generator.blueprint.kinds.envelope import SPEC_MODELS
from generator.kind_registry import FOLDERS, Kind, plugin, spec_model
from generator.kinds.base import KindPlugin


def test_the_kind_literal_and_the_folder_table_name_the_same_kinds() -> None:
    """``Kind`` (what a blueprint may say) and ``FOLDERS`` (where it lives) agree."""
    assert sorted(get_args(Kind)) == sorted(FOLDERS)


@pytest.mark.parametrize("kind", sorted(FOLDERS))
def test_every_kind_folder_has_a_spec_model_and_a_plugin_for_that_kind(kind: str) -> None:
    """Each folder answers for its own kind: ``SPEC_MODEL`` and ``PLUGIN.kind``."""
    found = plugin(kind)
    assert isinstance(found, KindPlugin)
    assert found.kind == kind
    assert spec_model(kind) is SPEC_MODELS[kind]


def test_an_unknown_kind_is_a_lookup_error_naming_the_known_ones() -> None:
    """Asking for a kind that is not registered names the registered ones."""
    with pytest.raises(LookupError, match="IngestionPipeline"):
        plugin("Nope")


def test_a_kind_without_a_renderer_is_reported_as_skipped_not_half_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A kind whose plugin has no templates (the base's default) is listed as skipped and
    none of its files are written (every example kind renders today, so AuthFlow's
    renderer is taken away for the test)."""
    from tests.render.support import render_repo

    monkeypatch.setattr(type(plugin("AuthFlow")), "templates", KindPlugin.templates)
    result = render_repo()
    auth_flows = [d.key for d in result.deployments if d.kind == "AuthFlow"]
    assert auth_flows, "the example repository has an AuthFlow blueprint"
    assert dict(result.skipped) == dict.fromkeys(
        auth_flows, "rendering AuthFlow is not implemented yet"
    )
    assert not any(
        path.parts[:2] == tuple(k.split("/")) for k in auth_flows for path in result.tree
    )
