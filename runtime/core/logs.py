"""JSON logs: one object per line, with the correlation id of the work being done.

Every line carries ``timestamp`` (UTC, ISO-8601 with milliseconds), ``level``,
``logger``, ``message``, ``correlation_id``, ``blueprint``, ``environment`` and
``function``, plus any fields passed as ``extra={"fields": {...}}``. The correlation id
lives in a context variable, so concurrent asyncio tasks and worker threads started with
:func:`asyncio.to_thread` (which copies the context) each log their own.

Lines go to standard output, which Lambda forwards to CloudWatch Logs. The ``trellis``
logger does not propagate to the root logger, so the Lambda runtime's own handler does
not print every line a second time.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import IO, TypeGuard

__all__ = [
    "JsonFormatter",
    "bind_correlation_id",
    "configure",
    "correlation_id",
    "get_logger",
    "is_correlation_id",
]

ROOT = "trellis"
_correlation_id: ContextVar[str] = ContextVar("trellis_correlation_id", default="-")
_CORRELATION_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def is_correlation_id(value: object) -> TypeGuard[str]:
    """Whether ``value`` may be taken as a correlation id from an event or a message:
    a string of letters, digits and ``.:_-``, at most 128 characters."""
    return isinstance(value, str) and _CORRELATION_ID.match(value) is not None


def correlation_id() -> str:
    """The correlation id bound in the current context (``"-"`` when none is)."""
    return _correlation_id.get()


@contextmanager
def bind_correlation_id(value: str) -> Iterator[None]:
    """Log with ``value`` as correlation id inside the ``with`` block."""
    token = _correlation_id.set(value)
    try:
        yield
    finally:
        _correlation_id.reset(token)


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object; static fields are set once per function."""

    def __init__(self, static: dict[str, str]) -> None:
        super().__init__()
        self.static = static

    def format(self, record: logging.LogRecord) -> str:
        """Render ``record``; values that are not JSON become their ``str()``."""
        seconds = time.gmtime(record.created)
        millis = int(record.msecs)
        line: dict[str, object] = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", seconds) + f".{millis:03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "correlation_id": _correlation_id.get(),
            **self.static,
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update(fields)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def configure(
    *, level: str, blueprint: str, environment: str, function: str, stream: IO[str] | None = None
) -> logging.Logger:
    """Set up the ``trellis`` logger once per cold start (again replaces the handler).

    ``stream`` defaults to standard output; tests pass a buffer to read the lines back.
    """
    logger = logging.getLogger(ROOT)
    for old in list(logger.handlers):
        logger.removeHandler(old)
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(
        JsonFormatter({"blueprint": blueprint, "environment": environment, "function": function})
    )
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    return logger


def get_logger(name: str) -> logging.Logger:
    """A child of the ``trellis`` logger (``trellis.<name>``)."""
    return logging.getLogger(f"{ROOT}.{name}")
