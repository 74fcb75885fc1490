"""The tools outside the kind folders ask a kind's plugin what it is, never its name."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import UserError
from generator.kind_registry import FOLDERS, kinds_running, plugin
from generator.ops.target import ingestion_resources
from generator.pipeline import load_and_resolve

ROOT = Path(__file__).resolve().parents[2]


def test_trellis_run_runs_ingestion_as_a_pipeline_and_auth_flow_as_a_login() -> None:
    """local_run: the pipeline kinds are what the ops commands work on."""
    assert kinds_running("pipeline") == ["IngestionPipeline"]
    assert kinds_running("login") == ["AuthFlow"]
    assert plugin("StaticSite").local_run is None


def test_only_the_static_site_names_another_blueprint_and_serves_a_cloudfront_domain() -> None:
    """references and cloudfront_domain are declared by the kind that has them."""
    assert {k: dict(plugin(k).references) for k in FOLDERS} == {
        "IngestionPipeline": {},
        "AuthFlow": {},
        "StaticSite": {"auth_flow": "AuthFlow"},
    }
    assert [k for k in FOLDERS if plugin(k).cloudfront_domain] == ["StaticSite"]


def test_an_ops_command_on_a_site_names_the_kinds_it_works_on() -> None:
    """ingestion_resources refuses a StaticSite, naming IngestionPipeline as the fix."""
    _, deployments = load_and_resolve(ROOT)
    site = next(d for d in deployments if d.kind == "StaticSite")
    with pytest.raises(UserError) as caught:
        ingestion_resources(site)
    (error,) = caught.value.diagnostics
    assert error.code == "wrong-kind"
    assert "this command works on IngestionPipeline blueprints" in error.message
    assert error.hint == "pass an IngestionPipeline blueprint (kind: IngestionPipeline)"
