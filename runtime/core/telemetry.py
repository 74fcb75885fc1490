"""Per-invocation telemetry the seed asks for: memory against the limit, and throttling.

One extra EMF line per invocation (namespace ``Trellis/Ingest``, the same dimensions as
the function's other metrics) carries:

- ``MaxMemoryUsedMB``: the process's peak resident memory (``ru_maxrss``), which is what
  Lambda's own ``Max Memory Used`` reports, and ``MemoryLimitMB``, the configured size;
- ``MemoryUtilization``: the two as a percentage, which the memory alarm watches;
- ``ThrottledCalls``: AWS calls answered with a throttling error (each attempt counts);
- ``Http429``: source responses with HTTP 429 (each attempt counts).

Throttling is observed through :func:`observe`, which the retrier's retry hook calls for
every failed attempt it retries, and which the handlers' error paths may call too.

Nothing here can fail an invocation: a platform without ``resource`` (not Linux) reports
no memory figures.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping

__all__ = ["TELEMETRY_METRICS", "Telemetry", "observe", "telemetry"]

TELEMETRY_METRICS: dict[str, str] = {
    "MaxMemoryUsedMB": "Megabytes",
    "MemoryLimitMB": "Megabytes",
    "MemoryUtilization": "Percent",
    "ThrottledCalls": "Count",
    "Http429": "Count",
}
_THROTTLING_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "RequestThrottledException",
        "SlowDown",
        "ThrottledException",
        "Throttling",
        "ThrottlingException",
        "TooManyRequestsException",
    }
)


def _peak_memory_mb() -> float | None:
    try:
        import resource
    except ImportError:  # not a POSIX platform
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes
    return round(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024, 1)


class Telemetry:
    """Counts throttling for the current invocation and writes the telemetry EMF line."""

    def __init__(self, write: Callable[[str], object] | None = None) -> None:
        self._write = write or (lambda line: print(line, file=sys.stdout, flush=True))
        self._lock = threading.Lock()
        self.throttled = 0
        self.http_429 = 0

    def observe(self, error: BaseException) -> None:
        """Count ``error`` if it is an AWS throttling error or an HTTP 429."""
        response = getattr(error, "response", None)
        code = ""
        if isinstance(response, Mapping):
            code = str(response.get("Error", {}).get("Code", ""))
        cause = error.__cause__
        status = getattr(cause, "code", None) if cause is not None else None
        with self._lock:
            if code in _THROTTLING_CODES:
                self.throttled += 1
            elif status == 429 or str(error).startswith("HTTP 429"):
                self.http_429 += 1

    def flush(
        self, dimensions: Mapping[str, str], memory_limit_mb: int | None
    ) -> dict[str, object]:
        """Write this invocation's telemetry line, reset the counters, return the document."""
        with self._lock:
            throttled, http_429 = self.throttled, self.http_429
            self.throttled = self.http_429 = 0
        values: dict[str, float] = {"ThrottledCalls": throttled, "Http429": http_429}
        peak = _peak_memory_mb()
        if peak is not None:
            values["MaxMemoryUsedMB"] = peak
        if peak is not None and memory_limit_mb:
            values["MemoryLimitMB"] = memory_limit_mb
            values["MemoryUtilization"] = round(100 * peak / memory_limit_mb, 1)
        dims = dict(sorted(dimensions.items()))
        document: dict[str, object] = {
            "_aws": {
                "Timestamp": int(time.time() * 1000),
                "CloudWatchMetrics": [
                    {
                        "Namespace": "Trellis/Ingest",
                        "Dimensions": [list(dims)],
                        "Metrics": [
                            {"Name": name, "Unit": TELEMETRY_METRICS[name]} for name in values
                        ],
                    }
                ],
            },
            **dims,
            **values,
        }
        self._write(json.dumps(document, separators=(",", ":")))
        return document


telemetry = Telemetry()
"""The process's telemetry (one per Lambda container, like the handlers' cold-start wiring)."""


def observe(error: BaseException) -> None:
    """Count ``error`` on the process's telemetry."""
    telemetry.observe(error)


def memory_limit(context: object) -> int | None:
    """The configured memory: the context's, else Lambda's environment variable."""
    value = getattr(context, "memory_limit_in_mb", None) or os.environ.get(
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE"
    )
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None
