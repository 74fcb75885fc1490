"""Vocabulary every function's settings share: the log levels."""

from __future__ import annotations

from typing import Literal, get_args

__all__ = ["LOG_LEVELS", "LogLevel", "as_log_level"]

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
"""``TRELLIS_LOG_LEVEL``: what an environment's ``log_level`` may be."""
LOG_LEVELS: tuple[LogLevel, ...] = get_args(LogLevel)


def as_log_level(value: str) -> LogLevel:
    """``value`` as a :data:`LogLevel`.

    Raises:
        ValueError: ``value`` is no log level (an internal error: the environment's model
            admits only these).
    """
    if value not in LOG_LEVELS:
        msg = f"log level {value!r} is none of {', '.join(LOG_LEVELS)}"
        raise ValueError(msg)
    return value
