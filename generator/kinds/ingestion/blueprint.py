"""``kind: IngestionPipeline``: retrieval → queue → processing → DynamoDB and versioned S3.

Cross-field rules (``shape.key`` among the fields, the visibility timeout six times the
processing timeout, a request timeout shorter than the function's) are enforced here so
the error points at the field a person has to change.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from generator.blueprint.kinds.common import (
    DotPath,
    StrictModel,
    rule_error,
    string_schema,
)
from generator.blueprint.schedule import ScheduleError, check_schedule
from generator.blueprint.validation import suggest
from generator.kinds.ingestion.source import (
    LAMBDA_MAX_TIMEOUT_SECONDS,
    LOCAL_HOSTS,
    ApiKeyParameter,
    BasicAuth,
    CursorHeaderPagination,
    CursorPagination,
    HttpSource,
    HttpUrl,
    Incremental,
    LinkHeaderPagination,
    NextUrlPagination,
    OAuth2ClientCredentials,
    OffsetPagination,
    PagePagination,
    Pagination,
    Source,
    SourceAuth,
)

RESERVED_FIELD_PREFIX = "trellis_"
SQS_MAX_VISIBILITY_SECONDS = 43_200


def _schedule(value: str) -> str:
    try:
        return check_schedule(value)
    except ScheduleError as err:
        raise rule_error(err.message, allowed=err.allowed, hint=err.hint) from None


ScheduleExpression = Annotated[
    str,
    AfterValidator(_schedule),
    string_schema(
        r"^(rate\([1-9][0-9]* (minutes?|hours?|days?)\)|cron\([^()]+\))$",
        "EventBridge rate(N unit) or cron(6 fields) expression",
    ),
]


class QueueTrigger(StrictModel):
    """Records arrive on the queue from other producers; no retrieval function."""


class Trigger(StrictModel):
    """Exactly one of a schedule or the queue."""

    schedule: ScheduleExpression | None = None
    queue: QueueTrigger | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Trigger:
        if (self.schedule is None) == (self.queue is None):
            raise rule_error(
                "trigger needs exactly one of schedule and queue",
                allowed="schedule: rate(15 minutes) or queue: {}",
            )
        return self


class Retrieval(StrictModel):
    """The retrieval function."""

    concurrency: int = Field(default=8, ge=1, le=64)
    memory_mb: int = Field(default=256, ge=128, le=10_240)
    timeout_seconds: int = Field(default=300, ge=1, le=LAMBDA_MAX_TIMEOUT_SECONDS)


class Processing(StrictModel):
    """The processing function and its SQS event source."""

    batch_size: int = Field(default=10, ge=1, le=10_000)
    max_concurrency: int = Field(default=5, ge=2, le=1_000)
    memory_mb: int = Field(default=256, ge=128, le=10_240)
    timeout_seconds: int = Field(default=60, ge=1, le=LAMBDA_MAX_TIMEOUT_SECONDS)
    visibility_timeout_seconds: int | None = Field(
        default=None,
        ge=0,
        le=SQS_MAX_VISIBILITY_SECONDS,
        description="Queue visibility timeout; default six times timeout_seconds.",
    )

    @property
    def effective_visibility_timeout(self) -> int:
        """The visibility timeout the generator sets on the queue."""
        return self.visibility_timeout_seconds or 6 * self.timeout_seconds

    @model_validator(mode="after")
    def _visibility(self) -> Processing:
        if (
            self.visibility_timeout_seconds is not None
            and self.visibility_timeout_seconds < 6 * self.timeout_seconds
        ):
            most = self.visibility_timeout_seconds // 6
            raise rule_error(
                f"timeout_seconds ({self.timeout_seconds}) must be at most {most} so that "
                f"the queue's visibility timeout ({self.visibility_timeout_seconds}) can be "
                "six times it",
                allowed=f"timeout_seconds <= visibility_timeout_seconds / 6 = {most}",
                hint="lower timeout_seconds, raise visibility_timeout_seconds, or remove "
                "visibility_timeout_seconds to let trellis set it",
                field="timeout_seconds",
            )
        return self


class Shape(StrictModel):
    """How a raw record becomes a stored item."""

    key: str = Field(min_length=1, max_length=255)
    fields: dict[str, DotPath] = Field(min_length=1)
    ignore_for_change: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _keys_exist(self) -> Shape:
        names = sorted(self.fields)
        if self.key not in self.fields:
            raise rule_error(
                f"key {self.key!r} is not one of the shaped fields",
                allowed=", ".join(names),
                hint=f"add {self.key}: <dot path> under fields",
                field="key",
            )
        unknown = [n for n in self.ignore_for_change if n not in self.fields]
        if unknown:
            close = suggest(unknown[0], names)
            raise rule_error(
                f"ignore_for_change names {unknown} that are not shaped fields",
                allowed=", ".join(names),
                hint=f"did you mean {close!r}?" if close else None,
                field=f"ignore_for_change.{self.ignore_for_change.index(unknown[0])}",
            )
        reserved = sorted(n for n in self.fields if n.startswith(RESERVED_FIELD_PREFIX))
        if reserved:
            raise rule_error(
                f"fields {reserved} use the prefix {RESERVED_FIELD_PREFIX!r}, which trellis "
                "keeps for its own bookkeeping attributes",
                allowed=f"field names not starting with {RESERVED_FIELD_PREFIX}",
                hint="rename the field",
            )
        if self.key in self.ignore_for_change:
            raise rule_error(
                "the key cannot be ignored for change detection",
                allowed="fields other than the key",
                field=f"ignore_for_change.{self.ignore_for_change.index(self.key)}",
            )
        return self


class Store(StrictModel):
    """The DynamoDB table that holds the current version of each record."""

    point_in_time_recovery: bool = True
    ttl_days: int | None = Field(default=None, ge=1, le=36_500)


class Backup(StrictModel):
    """The versioned S3 bucket that keeps every raw payload written."""

    noncurrent_version_days: int = Field(default=365, ge=1, le=36_500)


class Retry(StrictModel):
    """Per-request retries with exponential backoff and full jitter."""

    max_attempts: int = Field(default=5, ge=1, le=20)
    base_delay_ms: int = Field(default=200, ge=1, le=60_000)
    max_delay_ms: int = Field(default=20_000, ge=1, le=900_000)

    @model_validator(mode="after")
    def _ordered(self) -> Retry:
        if self.max_delay_ms < self.base_delay_ms:
            raise rule_error(
                f"max_delay_ms ({self.max_delay_ms}) is below base_delay_ms ({self.base_delay_ms})",
                allowed="max_delay_ms >= base_delay_ms",
                field="max_delay_ms",
            )
        return self


class Stop(StrictModel):
    """The circuit breaker that stops a run and leaves the rest queued."""

    max_consecutive_failures: int = Field(default=10, ge=1, le=10_000)


class DeadLetter(StrictModel):
    """The dead-letter queue behind the main queue."""

    max_receive_count: int = Field(default=5, ge=1, le=1_000)
    retention_days: int = Field(default=14, ge=1, le=14)


class Alarms(StrictModel):
    """CloudWatch alarms sent to the pipeline's encrypted SNS topic."""

    dlq_messages: int = Field(default=1, ge=1)
    error_rate: float = Field(default=0.05, gt=0, le=1)


class IngestionSpec(StrictModel):
    """``spec`` of ``kind: IngestionPipeline``."""

    source: Source | None = Field(
        default=None,
        description="Where a scheduled retrieval fetches records; not used by queue: {}.",
    )
    trigger: Trigger
    retrieval: Retrieval = Field(default_factory=Retrieval)
    processing: Processing = Field(default_factory=Processing)
    shape: Shape
    store: Store = Field(default_factory=Store)
    backup: Backup = Field(default_factory=Backup)
    retry: Retry = Field(default_factory=Retry)
    stop: Stop = Field(default_factory=Stop)
    dead_letter: DeadLetter = Field(default_factory=DeadLetter)
    alarms: Alarms = Field(default_factory=Alarms)
    package: Literal["zip", "image"] = "zip"

    @model_validator(mode="after")
    def _scheduled_needs_source(self) -> IngestionSpec:
        if self.trigger.schedule is not None and self.source is None:
            raise rule_error(
                "a scheduled pipeline needs a source: its retrieval function fetches from it",
                allowed="source: {http: {url: ..., records_path: ...}} with trigger.schedule; "
                "no source with trigger.queue",
                hint="add source.http, or use trigger: {queue: {}} if other producers fill the "
                "queue",
                field="source",
            )
        return self

    @model_validator(mode="after")
    def _request_fits_function(self) -> IngestionSpec:
        if (
            self.trigger.schedule is not None
            and self.source is not None
            and (self.source.http.timeout_seconds >= self.retrieval.timeout_seconds)
        ):
            raise rule_error(
                f"source.http.timeout_seconds ({self.source.http.timeout_seconds}) must be "
                f"below retrieval.timeout_seconds ({self.retrieval.timeout_seconds})",
                allowed="a request timeout shorter than the function's",
                field="source.http.timeout_seconds",
            )
        return self

    @model_validator(mode="after")
    def _incremental_field_is_shaped(self) -> IngestionSpec:
        incremental = self.source.http.incremental if self.source is not None else None
        if incremental is not None and incremental.response_field not in self.shape.fields:
            names = sorted(self.shape.fields)
            close = suggest(incremental.response_field, names)
            raise rule_error(
                f"incremental.response_field {incremental.response_field!r} is not one of "
                "the shaped fields",
                allowed=", ".join(names),
                hint=f"did you mean {close!r}?"
                if close
                else f"add {incremental.response_field}: <dot path> under shape.fields",
                field="source.http.incremental.response_field",
            )
        if incremental is not None and self.trigger.queue is not None:
            raise rule_error(
                "incremental retrieval needs the scheduled retrieval function",
                allowed="trigger.schedule with incremental, or trigger.queue without it",
                field="source.http.incremental",
            )
        return self


__all__ = [
    "LOCAL_HOSTS",
    "ApiKeyParameter",
    "BasicAuth",
    "CursorHeaderPagination",
    "CursorPagination",
    "HttpSource",
    "HttpUrl",
    "Incremental",
    "IngestionSpec",
    "LinkHeaderPagination",
    "NextUrlPagination",
    "OAuth2ClientCredentials",
    "OffsetPagination",
    "PagePagination",
    "Pagination",
    "Source",
    "SourceAuth",
]

SPEC_MODEL = IngestionSpec
"""The model of this kind's ``spec`` (looked up by :func:`generator.kind_registry.spec_model`)."""
