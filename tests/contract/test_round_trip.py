"""What resolve writes on each function is what the runtime's loaders read, field for field.

For every example blueprint × environment × function, the settings object the generator
built (the contract's dataclasses, from the kind's ``function_settings``) equals the one
the runtime's loader parses back from the environment resolve wrote, and the blueprint's
values survive the trip (the objects are compared with the spec, not strings with
themselves).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from generator.kinds.auth_flow.resolve import function_settings as auth_flow_settings
from generator.kinds.auth_flow.resources import AuthFlowResources
from generator.kinds.ingestion.resolve import function_settings as ingestion_settings
from generator.kinds.ingestion.resources import IngestionResources
from generator.model.deployment import Deployment, Function
from generator.pipeline import load_and_resolve
from runtime import contract
from runtime.auth.settings import load_auth
from runtime.contract import auth_flow, ingestion, ingestion_source
from runtime.contract.environment import to_environment
from runtime.core.settings import load_processing, load_retrieval

ROOT = Path(__file__).resolve().parents[2]
_, DEPLOYMENTS = load_and_resolve(ROOT)
FUNCTIONS = [
    pytest.param(d, f, id=f"{d.key}/{f.purpose}")
    for d in DEPLOYMENTS
    for f in getattr(d.resources, "functions", ())
]


def _built(deployment: Deployment) -> dict[str, Any]:
    """The settings objects the generator built for ``deployment``'s functions."""
    resources = deployment.resources
    if isinstance(resources, IngestionResources):
        return dict(
            ingestion_settings(
                deployment.blueprint,
                deployment.spec,  # type: ignore[arg-type]
                deployment.target,
                queue_url=resources.queue_url,
                state_table=resources.state_table_name,
                table=resources.table_name,
                bucket=resources.backup_bucket,
            )
        )
    assert isinstance(resources, AuthFlowResources)
    return dict(auth_flow_settings(deployment.blueprint, deployment.spec, deployment.target))


def _loaded(function: Function) -> Any:
    """What the runtime's loader for ``function``'s handler reads from its environment."""
    env = dict(function.environment)
    if function.handler == contract.INGEST_HANDLERS["retrieve"]:
        return load_retrieval(env)
    if function.handler == contract.INGEST_HANDLERS["process"]:
        return load_processing(env)
    assert function.handler == contract.AUTH_FLOW_HANDLERS[function.purpose]
    return load_auth(env)


def test_the_examples_cover_every_kind_that_runs_functions() -> None:
    """The round trip is not vacuous: retrieve, process and all five login functions."""
    purposes = {f.values[1].purpose for f in FUNCTIONS}  # type: ignore[union-attr]
    assert purposes == {"retrieve", "process", *contract.AUTH_FLOW_FUNCTIONS}


def test_the_examples_cover_the_source_options() -> None:
    """Some example reads incrementally with OAuth2 and Link pagination (tickets.yaml)."""
    sources = [
        _loaded(f).source
        for d in DEPLOYMENTS
        for f in getattr(d.resources, "functions", ())
        if f.purpose == "retrieve"
    ]
    assert any(
        isinstance(s.auth, ingestion_source.OAuth2ClientCredentials)
        and isinstance(s.pagination, ingestion_source.LinkHeaderPagination)
        for s in sources
    )


@pytest.mark.parametrize(("deployment", "function"), FUNCTIONS)
def test_the_runtime_reads_back_the_objects_resolve_built(
    deployment: Deployment, function: Function
) -> None:
    """Each example × environment × function: loader(environment) == what resolve built."""
    built = _built(deployment)[function.purpose]
    assert _loaded(function) == built
    assert dict(function.environment) == to_environment(built)
    variables = {
        "retrieve": contract.RETRIEVE_VARIABLES,
        "process": contract.PROCESS_VARIABLES,
    }.get(function.purpose, contract.AUTH_VARIABLES)
    assert sorted(dict(function.environment)) == sorted(variables)


@pytest.mark.parametrize(("deployment", "function"), FUNCTIONS)
def test_the_blueprint_values_survive_the_trip(deployment: Deployment, function: Function) -> None:
    """The parsed settings carry the spec's own values, not only resolve's copy of them."""
    spec: Any = deployment.spec
    loaded = _loaded(function)
    if isinstance(loaded, auth_flow.AuthFunctionSettings):
        assert loaded.flow.issuer == str(spec.issuer)
        assert loaded.flow.scopes == tuple(spec.scopes)
        assert loaded.flow.session_ttl_minutes == spec.session_ttl_minutes
        reads = contract.AUTH_FLOW_PARAMETERS[function.purpose]
        assert set(loaded.flow.parameters) == set(reads)
        return
    assert loaded.common.retry.max_attempts == spec.retry.max_attempts
    assert loaded.common.stop_max_consecutive_failures == spec.stop.max_consecutive_failures
    if isinstance(loaded, ingestion.ProcessingSettings):
        assert dict(loaded.shape.fields) == spec.shape.fields
        assert loaded.shape.ignore_for_change == tuple(spec.shape.ignore_for_change)
        assert loaded.ttl_days == spec.store.ttl_days
        return
    http = spec.source.http
    assert loaded.source.url == http.url
    assert dict(loaded.source.headers) == http.headers
    assert dict(loaded.source.query) == http.query
    assert loaded.source.max_pages == http.max_pages
    assert (loaded.source.auth is None) == (http.auth is None)
    assert (loaded.source.pagination is None) == (http.pagination is None)
    if http.pagination is not None:
        assert http.pagination.style == type(loaded.source.pagination).KEY  # type: ignore[union-attr]
    if http.incremental is not None:
        assert (
            loaded.incremental.response_path == spec.shape.fields[http.incremental.response_field]
        )


def test_every_handler_the_generator_names_is_a_runtime_function() -> None:
    """Each handler string of the contract imports to a callable ``handler``."""
    handlers = [*contract.INGEST_HANDLERS.values(), *contract.AUTH_FLOW_HANDLERS.values()]
    for handler in handlers:
        module, _, name = handler.rpartition(".")
        assert callable(getattr(importlib.import_module(module), name))
