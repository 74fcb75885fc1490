"""What resolve writes on each function is what the runtime's loaders read, field for field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.kinds.ingestion.blueprint import (
    ApiKeyParameter,
    CursorPagination,
    HttpSource,
    PagePagination,
    Pagination,
    Retry,
    Shape,
    SourceAuth,
)
from generator.kinds.ingestion.resources import IngestionResources
from generator.model.deployment import Deployment, Function
from generator.pipeline import load_and_resolve
from runtime import contract
from runtime.core import settings as runtime_settings

ROOT = Path(__file__).resolve().parents[2]
_, DEPLOYMENTS = load_and_resolve(ROOT)
FUNCTIONS = [
    pytest.param(d, f, id=f"{d.key}/{f.purpose}")
    for d in DEPLOYMENTS
    if isinstance(d.resources, IngestionResources)
    for f in d.resources.functions
]


def test_the_examples_cover_both_ingestion_functions() -> None:
    """The round trip below is not vacuous: the examples have retrieve and process."""
    assert {f.values[1].purpose for f in FUNCTIONS} == {"retrieve", "process"}  # type: ignore[union-attr]


def _expected_common(deployment: Deployment, function: Function) -> runtime_settings.CommonSettings:
    spec: Any = deployment.spec
    return runtime_settings.CommonSettings(
        blueprint=deployment.blueprint,
        environment=deployment.target.env,
        function=function.purpose,  # type: ignore[arg-type]
        log_level=deployment.target.log_level,
        retry=runtime_settings.RetryPolicy(**spec.retry.model_dump()),
        stop_max_consecutive_failures=spec.stop.max_consecutive_failures,
    )


def _expected_source(http: Any) -> runtime_settings.SourceSettings:
    auth: runtime_settings.BearerAuth | runtime_settings.ApiKeyAuth | None = None
    if http.auth is not None and http.auth.bearer_token_parameter:
        auth = runtime_settings.BearerAuth(parameter=http.auth.bearer_token_parameter)
    elif http.auth is not None:
        key = http.auth.api_key_parameter
        auth = runtime_settings.ApiKeyAuth(parameter=key.name, header=key.header)
    pagination: runtime_settings.CursorPagination | runtime_settings.PagePagination | None = None
    if http.pagination is not None and http.pagination.cursor is not None:
        cursor = http.pagination.cursor
        pagination = runtime_settings.CursorPagination(cursor.param, cursor.response_path)
    elif http.pagination is not None:
        page = http.pagination.page
        pagination = runtime_settings.PagePagination(
            param=page.param, start=page.start, size_param=page.size_param, size=page.size
        )
    return runtime_settings.SourceSettings(
        url=str(http.url),
        method=http.method,
        headers=tuple(sorted(http.headers.items())),
        auth=auth,
        records_path=http.records_path,
        pagination=pagination,
        max_pages=http.max_pages,
        timeout_seconds=float(http.timeout_seconds),
    )


@pytest.mark.parametrize(("deployment", "function"), FUNCTIONS)
def test_the_runtime_reads_back_every_setting_resolve_wrote(
    deployment: Deployment, function: Function
) -> None:
    """Each example × environment × function: the loader's settings equal the spec's values."""
    env = dict(function.environment)
    spec: Any = deployment.spec
    resources = deployment.resources
    assert isinstance(resources, IngestionResources)
    common = _expected_common(deployment, function)
    if function.purpose == "retrieve":
        assert function.handler == contract.INGEST_HANDLERS["retrieve"]
        assert sorted(env) == sorted(contract.RETRIEVE_VARIABLES)
        assert runtime_settings.load_retrieval(env) == runtime_settings.RetrievalSettings(
            common=common,
            queue_url=resources.queue_url,
            concurrency=spec.retrieval.concurrency,
            source=_expected_source(spec.source.http),
        )
    else:
        assert function.handler == contract.INGEST_HANDLERS["process"]
        assert sorted(env) == sorted(contract.PROCESS_VARIABLES)
        assert runtime_settings.load_processing(env) == runtime_settings.ProcessingSettings(
            common=common,
            table_name=resources.table_name,
            backup_bucket=resources.backup_bucket,
            backup_prefix=resources.backup_prefix,
            shape=runtime_settings.ShapeSettings(
                key=spec.shape.key,
                fields=tuple(sorted(spec.shape.fields.items())),
                ignore_for_change=frozenset(spec.shape.ignore_for_change),
            ),
            ttl_days=spec.store.ttl_days,
        )


@pytest.mark.parametrize(
    ("model", "keys"),
    [
        (Retry, contract.RETRY_KEYS),
        (HttpSource, contract.SOURCE_KEYS),
        (SourceAuth, contract.AUTH_KEYS),
        (ApiKeyParameter, contract.API_KEY_KEYS),
        (Pagination, contract.PAGINATION_KEYS),
        (CursorPagination, contract.CURSOR_KEYS),
        (PagePagination, contract.PAGE_KEYS),
        (Shape, contract.SHAPE_KEYS),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_the_runtime_accepts_exactly_the_keys_the_blueprint_model_has(
    model: Any, keys: tuple[str, ...]
) -> None:
    """A key added to a blueprint section must be added to what the runtime reads."""
    assert sorted(model.model_fields) == sorted(keys)


def test_every_handler_the_generator_names_is_a_runtime_function() -> None:
    """Each ingestion handler string imports to a callable ``handler``."""
    import importlib

    for handler in contract.INGEST_HANDLERS.values():
        module, _, name = handler.rpartition(".")
        assert callable(getattr(importlib.import_module(module), name))
