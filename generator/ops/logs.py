"""Reading the functions' JSON log lines back from CloudWatch Logs.

``filter_log_events`` is paginated with ``nextToken`` until it stops returning one; the
filter pattern is a quoted term (supported by CloudWatch and by the local endpoint), and
each line is parsed as the runtime's JSON log format. Lines that are not JSON (Lambda's
own START/END/REPORT lines) are kept as plain messages.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["LogLine", "filter_lines"]


@dataclass(frozen=True)
class LogLine:
    """One log event: when, which function, and its parsed JSON fields."""

    timestamp: int
    function: str
    log_group: str
    message: str
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def correlation_id(self) -> str | None:
        """The line's ``correlation_id`` field, if it has one."""
        value = self.fields.get("correlation_id")
        return value if isinstance(value, str) else None


def filter_lines(
    logs: Any, log_group: str, function: str, term: str, start_ms: int
) -> Iterator[LogLine]:
    """Every event of ``log_group`` since ``start_ms`` that contains ``term``."""
    kwargs: dict[str, Any] = {
        "logGroupName": log_group,
        "filterPattern": json.dumps(term),
        "startTime": start_ms,
    }
    while True:
        response = logs.filter_log_events(**kwargs)
        for event in response.get("events", []):
            message = str(event.get("message", ""))
            try:
                parsed = json.loads(message)
            except json.JSONDecodeError:
                parsed = None
            yield LogLine(
                timestamp=int(event.get("timestamp", 0)),
                function=function,
                log_group=log_group,
                message=message,
                fields=parsed if isinstance(parsed, dict) else {},
            )
        token = response.get("nextToken")
        if not token or token == kwargs.get("nextToken"):
            return
        kwargs["nextToken"] = token
