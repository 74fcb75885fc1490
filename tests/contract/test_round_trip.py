"""What resolve writes on each function is what the runtime's loaders read, field for field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.kinds.ingestion.blueprint import (
    ApiKeyParameter,
    BasicAuth,
    CursorHeaderPagination,
    CursorPagination,
    Incremental,
    LinkHeaderPagination,
    NextUrlPagination,
    OAuth2ClientCredentials,
    OffsetPagination,
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
from runtime.core import source_options

ROOT = Path(__file__).resolve().parents[2]
_, DEPLOYMENTS = load_and_resolve(ROOT)
FUNCTIONS = [
    pytest.param(d, f, id=f"{d.key}/{f.purpose}")
    for d in DEPLOYMENTS
    if isinstance(d.resources, IngestionResources)
    for f in d.resources.functions
]


def test_the_examples_cover_the_new_source_options() -> None:
    """Some example reads incrementally with OAuth2 and Link pagination (tickets.yaml)."""
    https = [d.spec.source.http for d in DEPLOYMENTS if isinstance(d.resources, IngestionResources)]  # type: ignore[attr-defined]
    assert any(
        h.incremental is not None
        and h.auth is not None
        and h.auth.oauth2_client_credentials is not None
        and h.pagination is not None
        and h.pagination.link_header is not None
        for h in https
    )


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


def _expected_auth(auth: Any) -> runtime_settings.Auth | None:
    if auth is None:
        return None
    if auth.bearer_token_parameter:
        return runtime_settings.BearerAuth(parameter=auth.bearer_token_parameter)
    if auth.api_key_parameter is not None:
        key = auth.api_key_parameter
        if key.query:
            return source_options.ApiKeyQueryAuth(parameter=key.name, query=key.query)
        return runtime_settings.ApiKeyAuth(parameter=key.name, header=key.header)
    if auth.basic is not None:
        return source_options.BasicAuth(**auth.basic.model_dump())
    oauth = auth.oauth2_client_credentials
    return source_options.OAuth2ClientCredentials(
        **oauth.model_dump(exclude={"scopes"}), scopes=tuple(oauth.scopes)
    )


def _expected_pagination(pagination: Any) -> runtime_settings.Pagination | None:
    if pagination is None:
        return None
    chosen = getattr(pagination, pagination.style)
    settings_class = {
        "cursor": runtime_settings.CursorPagination,
        "page": runtime_settings.PagePagination,
        "offset": source_options.OffsetPagination,
        "link_header": source_options.LinkHeaderPagination,
        "next_url": source_options.NextUrlPagination,
        "cursor_header": source_options.CursorHeaderPagination,
    }[pagination.style]
    return settings_class(**chosen.model_dump())  # type: ignore[operator,no-any-return]


def _expected_source(http: Any) -> runtime_settings.SourceSettings:
    return runtime_settings.SourceSettings(
        url=str(http.url),
        method=http.method,
        headers=tuple(sorted(http.headers.items())),
        auth=_expected_auth(http.auth),
        records_path=http.records_path,
        pagination=_expected_pagination(http.pagination),
        max_pages=http.max_pages,
        timeout_seconds=float(http.timeout_seconds),
        query=tuple(sorted(http.query.items())),
        body=http.body,
        allowed_origins=tuple(http.allowed_origins),
        max_requests_per_second=http.max_requests_per_second,
    )


def _expected_incremental(
    spec: Any, resources: IngestionResources
) -> source_options.IncrementalSettings | None:
    incremental = spec.source.http.incremental
    if incremental is None:
        return None
    assert resources.state_table_name is not None
    return source_options.IncrementalSettings(
        param=incremental.param,
        response_path=spec.shape.fields[incremental.response_field],
        initial=incremental.initial,
        lag_seconds=incremental.lag_seconds,
        state_table=resources.state_table_name,
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
            incremental=_expected_incremental(spec, resources),
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
        (SourceAuth, contract.AUTH_KEYS),
        (ApiKeyParameter, contract.API_KEY_KEYS),
        (BasicAuth, contract.BASIC_KEYS),
        (OAuth2ClientCredentials, contract.OAUTH2_KEYS),
        (Pagination, contract.PAGINATION_KEYS),
        (CursorPagination, contract.CURSOR_KEYS),
        (PagePagination, contract.PAGE_KEYS),
        (OffsetPagination, contract.OFFSET_KEYS),
        (LinkHeaderPagination, contract.LINK_HEADER_KEYS),
        (NextUrlPagination, contract.NEXT_URL_KEYS),
        (CursorHeaderPagination, contract.CURSOR_HEADER_KEYS),
        (Shape, contract.SHAPE_KEYS),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_the_runtime_accepts_exactly_the_keys_the_blueprint_model_has(
    model: Any, keys: tuple[str, ...]
) -> None:
    """A key added to a blueprint section must be added to what the runtime reads."""
    assert sorted(model.model_fields) == sorted(keys)


def test_the_source_variable_holds_the_http_section_but_incremental() -> None:
    """TRELLIS_SOURCE carries every key of spec.source.http except incremental."""
    from generator.kinds.ingestion.blueprint import HttpSource

    assert sorted(HttpSource.model_fields) == sorted([*contract.SOURCE_KEYS, "incremental"])


def test_the_incremental_variable_swaps_the_field_for_its_path() -> None:
    """TRELLIS_INCREMENTAL has the blueprint's keys with response_path for response_field."""
    blueprint = set(Incremental.model_fields) - {"response_field"} | {"response_path"}
    assert sorted(blueprint) == sorted(contract.INCREMENTAL_KEYS)


def test_every_handler_the_generator_names_is_a_runtime_function() -> None:
    """Each ingestion handler string imports to a callable ``handler``."""
    import importlib

    for handler in contract.INGEST_HANDLERS.values():
        module, _, name = handler.rpartition(".")
        assert callable(getattr(importlib.import_module(module), name))
