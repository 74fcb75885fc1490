"""The ingestion functions' settings, read from their environment at cold start.

The shapes and their rules are defined once, in the contract
(:mod:`runtime.contract.ingestion`, :mod:`runtime.contract.ingestion_source`), which the
generator also builds and writes; this module reads them through
:func:`runtime.contract.environment.from_environment` and adds the one rule only the running
handler knows: which function it is. A missing or malformed variable raises
:class:`~runtime.core.exceptions.SettingsError` naming the variable, the key path inside
a JSON value and what is expected, so a wiring mistake fails the first invocation instead
of ingesting with a wrong configuration. Unknown JSON keys are rejected, so a renamed key
cannot be silently ignored.
"""

from __future__ import annotations

from collections.abc import Mapping

from runtime import contract
from runtime.contract.environment import from_environment
from runtime.contract.ingestion import (
    CommonSettings,
    ProcessingSettings,
    RetrievalSettings,
    RetryPolicy,
    ShapeSettings,
)
from runtime.contract.ingestion_source import (
    ApiKeyAuth,
    ApiKeyQueryAuth,
    Auth,
    BasicAuth,
    BearerAuth,
    CursorHeaderPagination,
    CursorPagination,
    IncrementalSettings,
    LinkHeaderPagination,
    NextUrlPagination,
    OAuth2ClientCredentials,
    OffsetPagination,
    PagePagination,
    Pagination,
    SourceSettings,
)
from runtime.core.exceptions import SettingsError

__all__ = [
    "ApiKeyAuth",
    "ApiKeyQueryAuth",
    "Auth",
    "BasicAuth",
    "BearerAuth",
    "CommonSettings",
    "CursorHeaderPagination",
    "CursorPagination",
    "IncrementalSettings",
    "LinkHeaderPagination",
    "NextUrlPagination",
    "OAuth2ClientCredentials",
    "OffsetPagination",
    "PagePagination",
    "Pagination",
    "ProcessingSettings",
    "RetrievalSettings",
    "RetryPolicy",
    "ShapeSettings",
    "SourceSettings",
    "load_common",
    "load_processing",
    "load_retrieval",
]


def load_common(env: Mapping[str, str]) -> CommonSettings:
    """Read the variables every ingestion function has.

    Raises:
        SettingsError: a variable is missing or invalid.
    """
    return from_environment(CommonSettings, env)


def _running(common: CommonSettings, function: str, handler: str) -> None:
    if common.function != function:
        raise SettingsError(
            contract.FUNCTION, f"is {common.function!r} but the {handler} handler is running"
        )


def load_retrieval(env: Mapping[str, str]) -> RetrievalSettings:
    """Read the retrieval function's variables.

    Raises:
        SettingsError: a variable is missing or invalid, or ``TRELLIS_FUNCTION`` is not
            ``retrieve`` (the handler string and the settings disagree).
    """
    _running(load_common(env), "retrieve", "retrieval")
    return from_environment(RetrievalSettings, env)


def load_processing(env: Mapping[str, str]) -> ProcessingSettings:
    """Read the processing function's variables.

    Raises:
        SettingsError: a variable is missing or invalid, or ``TRELLIS_FUNCTION`` is not
            ``process``.
    """
    _running(load_common(env), "process", "processing")
    return from_environment(ProcessingSettings, env)
