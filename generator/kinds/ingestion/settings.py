"""An ingestion blueprint's sections as the runtime contract's settings objects.

The pydantic models of ``spec`` are what a person writes and what errors point at; the
runtime reads the contract's frozen dataclasses (:mod:`runtime.contract.ingestion`,
:mod:`runtime.contract.ingestion_source`). These functions convert one into the other,
and resolve writes the result through the contract's one serialiser, so every JSON key
and variable name is spelled once, in the contract.
"""

from __future__ import annotations

from generator.kinds.ingestion.blueprint import IngestionSpec, Retry, Shape
from generator.kinds.ingestion.source import HttpSource, Pagination, SourceAuth
from runtime.contract import ingestion_source as source
from runtime.contract.common import as_log_level
from runtime.contract.ingestion import (
    CommonSettings,
    IngestFunction,
    ProcessingSettings,
    RetrievalSettings,
    RetryPolicy,
    ShapeSettings,
)

__all__ = [
    "auth_settings",
    "common_settings",
    "incremental_settings",
    "pagination_settings",
    "processing_settings",
    "retrieval_settings",
    "retry_policy",
    "shape_settings",
    "source_settings",
]


def retry_policy(retry: Retry) -> RetryPolicy:
    """``spec.retry`` as ``TRELLIS_RETRY``."""
    return RetryPolicy(
        max_attempts=retry.max_attempts,
        base_delay_ms=retry.base_delay_ms,
        max_delay_ms=retry.max_delay_ms,
    )


def shape_settings(shape: Shape) -> ShapeSettings:
    """``spec.shape`` as ``TRELLIS_SHAPE`` (fields sorted by name, ignored names in order)."""
    return ShapeSettings(
        key=shape.key,
        fields=tuple(sorted(shape.fields.items())),
        ignore_for_change=tuple(shape.ignore_for_change),
    )


def auth_settings(auth: SourceAuth | None) -> source.Auth | None:
    """``auth``: the one method the blueprint chose, as its contract class."""
    if auth is None:
        return None
    if auth.bearer_token_parameter is not None:
        return source.BearerAuth(parameter=auth.bearer_token_parameter)
    if auth.api_key_parameter is not None:
        key = auth.api_key_parameter
        if key.query is not None:
            return source.ApiKeyQueryAuth(parameter=key.name, query=key.query)
        assert key.header is not None  # the model defaults it when query is not set
        return source.ApiKeyAuth(parameter=key.name, header=key.header)
    if auth.basic is not None:
        return source.BasicAuth(
            username_parameter=auth.basic.username_parameter,
            password_parameter=auth.basic.password_parameter,
        )
    oauth = auth.oauth2_client_credentials
    assert oauth is not None  # the model holds exactly one method
    return source.OAuth2ClientCredentials(
        token_url=oauth.token_url,
        client_id_parameter=oauth.client_id_parameter,
        client_secret_parameter=oauth.client_secret_parameter,
        scopes=tuple(oauth.scopes),
        client_auth=oauth.client_auth,
    )


def pagination_settings(pagination: Pagination | None) -> source.Pagination | None:
    """``pagination``: the one style the blueprint chose, as its contract class."""
    if pagination is None:
        return None
    if pagination.cursor is not None:
        cursor = pagination.cursor
        return source.CursorPagination(param=cursor.param, response_path=cursor.response_path)
    if pagination.page is not None:
        page = pagination.page
        return source.PagePagination(
            param=page.param, start=page.start, size_param=page.size_param, size=page.size
        )
    if pagination.offset is not None:
        offset = pagination.offset
        return source.OffsetPagination(
            param=offset.param,
            limit_param=offset.limit_param,
            limit=offset.limit,
            start=offset.start,
            total_path=offset.total_path,
        )
    if pagination.link_header is not None:
        return source.LinkHeaderPagination()
    if pagination.next_url is not None:
        return source.NextUrlPagination(response_path=pagination.next_url.response_path)
    header = pagination.cursor_header
    assert header is not None  # the model holds exactly one style
    return source.CursorHeaderPagination(header=header.header, param=header.param)


def source_settings(http: HttpSource) -> source.SourceSettings:
    """``spec.source.http`` without ``incremental`` as ``TRELLIS_SOURCE``."""
    return source.SourceSettings(
        url=http.url,
        method=http.method,
        headers=tuple(sorted(http.headers.items())),
        query=tuple(sorted(http.query.items())),
        body=http.body,
        auth=auth_settings(http.auth),
        records_path=http.records_path,
        pagination=pagination_settings(http.pagination),
        allowed_origins=tuple(http.allowed_origins),
        max_requests_per_second=http.max_requests_per_second,
        max_pages=http.max_pages,
        timeout_seconds=http.timeout_seconds,
    )


def incremental_settings(spec: IngestionSpec) -> source.IncrementalSettings | None:
    """``TRELLIS_INCREMENTAL``: the incremental settings with the response field's dot path,
    or ``None`` when the source is read in full every run."""
    incremental = spec.source.http.incremental if spec.source is not None else None
    if incremental is None:
        return None
    return source.IncrementalSettings(
        param=incremental.param,
        response_path=spec.shape.fields[incremental.response_field],
        initial=incremental.initial,
        lag_seconds=incremental.lag_seconds,
    )


def common_settings(
    blueprint: str, env: str, function: IngestFunction, log_level: str, spec: IngestionSpec
) -> CommonSettings:
    """What both ingestion functions carry: where they run and how hard they try.

    Raises ``ValueError`` (an internal error) for a log level the runtime does not know.
    """
    return CommonSettings(
        blueprint=blueprint,
        environment=env,
        function=function,
        log_level=as_log_level(log_level),
        retry=retry_policy(spec.retry),
        stop_max_consecutive_failures=spec.stop.max_consecutive_failures,
    )


def retrieval_settings(
    common: CommonSettings,
    spec: IngestionSpec,
    http: HttpSource,
    *,
    queue_url: str,
    state_table: str | None,
    control_parameters: tuple[str, str],
) -> RetrievalSettings:
    """The retrieval function's environment; ``control_parameters`` are the checkpoint's
    and the stop switch's SSM names."""
    return RetrievalSettings(
        common=common,
        queue_url=queue_url,
        concurrency=spec.retrieval.concurrency,
        source=source_settings(http),
        incremental=incremental_settings(spec),
        state_table=state_table,
        checkpoint_parameter=control_parameters[0],
        stop_parameter=control_parameters[1],
    )


def processing_settings(
    common: CommonSettings, spec: IngestionSpec, *, table: str, bucket: str, prefix: str
) -> ProcessingSettings:
    """The processing function's environment."""
    return ProcessingSettings(
        common=common,
        table_name=table,
        backup_bucket=bucket,
        backup_prefix=prefix,
        shape=shape_settings(spec.shape),
        ttl_days=spec.store.ttl_days,
    )
