"""The settings of the ingestion functions: every ``TRELLIS_*`` variable and its shape.

:class:`RetrievalSettings` and :class:`ProcessingSettings` are a function's whole
environment: each field names its variable (``env=``), and the JSON-valued ones are
shapes read and written by :mod:`runtime.contract.codec`. The generator builds them from
the blueprint and writes them with :func:`~runtime.contract.environment.to_environment`; the
runtime reads them with :func:`~runtime.contract.environment.from_environment` (through
:mod:`runtime.core.settings`), so each name and rule exists here once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from runtime.contract import (
    BACKUP_BUCKET,
    BACKUP_PREFIX,
    BLUEPRINT,
    CHECKPOINT_PARAMETER,
    CONCURRENCY,
    ENV,
    FUNCTION,
    INCREMENTAL,
    LOG_LEVEL,
    QUEUE_URL,
    RETRY,
    SHAPE,
    SOURCE,
    STATE_TABLE,
    STOP_MAX_CONSECUTIVE_FAILURES,
    STOP_PARAMETER,
    TABLE_NAME,
    TTL_DAYS,
)
from runtime.contract.codec import setting, shape
from runtime.contract.common import LogLevel
from runtime.contract.ingestion_source import IncrementalSettings, SourceSettings

__all__ = [
    "RESERVED_PREFIX",
    "CommonSettings",
    "IngestFunction",
    "ProcessingSettings",
    "RetrievalSettings",
    "RetryPolicy",
    "ShapeSettings",
]

IngestFunction = Literal["retrieve", "process"]
RESERVED_PREFIX = "trellis_"
"""Stored attributes of trellis's own start with this; a shaped field may not."""


@shape
class RetryPolicy:
    """``TRELLIS_RETRY`` (``spec.retry``): backoff with full jitter.

    Retry *n* waits ``uniform(0, min(max, base·2ⁿ⁻¹))`` ms.
    """

    max_attempts: int = setting(default=5, low=1, high=20)
    base_delay_ms: int = setting(default=200, low=0, high=60_000)
    max_delay_ms: int = setting(default=20_000, low=0, high=900_000)

    def problems(self) -> Iterator[tuple[str, str]]:
        """A ceiling below the first delay."""
        if self.max_delay_ms < self.base_delay_ms:
            yield (
                "max_delay_ms",
                f"({self.max_delay_ms}) must be at least base_delay_ms ({self.base_delay_ms})",
            )


@shape
class ShapeSettings:
    """``TRELLIS_SHAPE`` (``spec.shape``): how a raw record becomes a stored item."""

    key: str
    fields: tuple[tuple[str, str], ...]
    ignore_for_change: tuple[str, ...] = ()

    def problems(self) -> Iterator[tuple[str, str]]:
        """No fields, a reserved or empty field, a key or ignored name that is no field."""
        if not self.fields:
            yield "fields", "must name at least one field"
        names = {name for name, _ in self.fields}
        for name, path in self.fields:
            if name.startswith(RESERVED_PREFIX):
                yield f"fields.{name}", f"uses the reserved prefix {RESERVED_PREFIX!r}"
            if not path:
                yield f"fields.{name}", "must be a non-empty dot path"
        if self.key not in names:
            shown = ", ".join(sorted(names))
            yield "key", f"({self.key!r}) must be one of the fields: {shown}"
        for name in self.ignore_for_change:
            if name not in names or name == self.key:
                yield "ignore_for_change", f"({name!r}) must name a field other than the key"


@shape
class CommonSettings:
    """What every ingestion function has: where it runs and how hard it tries."""

    blueprint: str = setting(env=BLUEPRINT)
    environment: str = setting(env=ENV)
    function: IngestFunction = setting(env=FUNCTION)
    log_level: LogLevel = setting(env=LOG_LEVEL)
    retry: RetryPolicy = setting(env=RETRY)
    stop_max_consecutive_failures: int = setting(
        env=STOP_MAX_CONSECUTIVE_FAILURES, low=1, high=100_000
    )


@shape
class RetrievalSettings:
    """The retrieval function's environment.

    ``incremental`` and ``state_table`` are both set or both empty (a full read each run).
    ``checkpoint_parameter`` and ``stop_parameter`` are read again where they are used
    (:mod:`runtime.ingest.checkpoint`, :mod:`runtime.core.stop_switch`).
    """

    common: CommonSettings
    queue_url: str = setting(env=QUEUE_URL)
    concurrency: int = setting(env=CONCURRENCY, low=1, high=64)
    source: SourceSettings = setting(env=SOURCE)
    incremental: IncrementalSettings | None = setting(default=None, env=INCREMENTAL)
    state_table: str | None = setting(default=None, env=STATE_TABLE)
    checkpoint_parameter: str | None = setting(default=None, env=CHECKPOINT_PARAMETER)
    stop_parameter: str | None = setting(default=None, env=STOP_PARAMETER)

    def problems(self) -> Iterator[tuple[str, str]]:
        """A state table without incremental settings, or the reverse."""
        if self.incremental is None and self.state_table is not None:
            yield STATE_TABLE, f"is set but {INCREMENTAL} is empty"
        if self.incremental is not None and self.state_table is None:
            yield STATE_TABLE, f"is not set but {INCREMENTAL} is (it holds the high-water mark)"


def _backup_prefix(prefix: str) -> str | None:
    if prefix.startswith("/") or ".." in prefix or (prefix and not prefix.endswith("/")):
        return "must be empty or a relative prefix ending in '/', like 'raw/'"
    return None


@shape
class ProcessingSettings:
    """The processing function's environment."""

    common: CommonSettings
    table_name: str = setting(env=TABLE_NAME)
    backup_bucket: str = setting(env=BACKUP_BUCKET)
    shape: ShapeSettings = setting(env=SHAPE)
    backup_prefix: str = setting(default="", env=BACKUP_PREFIX, check=_backup_prefix)
    ttl_days: int | None = setting(default=None, env=TTL_DAYS, low=1, high=36_500)
