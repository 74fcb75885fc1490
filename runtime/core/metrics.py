"""CloudWatch metrics in embedded metric format (EMF), flushed once per invocation.

EMF is a structured log line that CloudWatch turns into metrics without an API call, so
the function needs no ``cloudwatch:PutMetricData`` permission and pays no latency for
metrics. One line per invocation carries every counter, with the dimensions
``Blueprint``, ``Environment`` and ``Function`` in namespace ``Trellis/Ingest``.

The line carries ``timestamp`` and ``level``: the function's own log level, in the names
Lambda's JSON log format uses. With ``application_log_level`` WARN or ERROR, Lambda
drops JSON lines whose level is below it *or missing*, so a metrics line without a level
would vanish exactly when a quieter log level is configured; at the configured level it
always passes.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable

__all__ = ["LAMBDA_LEVELS", "NAMESPACE", "PROCESSING", "RETRIEVAL", "UNITS", "Metrics"]

NAMESPACE = "Trellis/Ingest"

#: The runtime's log levels as Lambda's log-level filter names them.
LAMBDA_LEVELS = {"DEBUG": "DEBUG", "INFO": "INFO", "WARNING": "WARN", "ERROR": "ERROR"}

#: Every metric the ingestion functions emit, with its CloudWatch unit.
UNITS: dict[str, str] = {
    "PagesFetched": "Count",
    "PagesFailed": "Count",
    "RecordsFetched": "Count",
    "RecordsEnqueued": "Count",
    "RecordsChanged": "Count",
    "RecordsUnchanged": "Count",
    "RecordsSuperseded": "Count",
    "RecordsFailed": "Count",
    "RecordsDeferred": "Count",
    "MaxPagesReached": "Count",
    "MarkAdvanced": "Count",
    "MarksUnreadable": "Count",
    "RateLimitHolds": "Count",
    "Retries": "Count",
    "BreakerTrips": "Count",
    "Duration": "Milliseconds",
}
#: The metrics of each function.
RETRIEVAL = (
    "PagesFetched",
    "PagesFailed",
    "RecordsFetched",
    "RecordsEnqueued",
    "RecordsFailed",
    "MaxPagesReached",
    "MarkAdvanced",
    "MarksUnreadable",
    "RateLimitHolds",
    "Retries",
    "BreakerTrips",
    "Duration",
)
PROCESSING = (
    "RecordsChanged",
    "RecordsUnchanged",
    "RecordsSuperseded",
    "RecordsFailed",
    "RecordsDeferred",
    "Retries",
    "BreakerTrips",
    "Duration",
)


class Metrics:
    """Counters of one invocation; :meth:`flush` writes them as one EMF line and resets.

    Safe to update from worker threads. An unknown metric name raises ``KeyError`` so a
    typo cannot create a metric nobody alarms on.
    """

    def __init__(
        self,
        dimensions: dict[str, str],
        names: tuple[str, ...] = tuple(UNITS),
        write: Callable[[str], object] | None = None,
        *,
        level: str = "INFO",
    ) -> None:
        self.level = LAMBDA_LEVELS.get(level, level)
        self.dimensions = dict(sorted(dimensions.items()))
        self.names = names
        self._write = write or (lambda line: print(line, file=sys.stdout, flush=True))
        self._lock = threading.Lock()
        self._values = dict.fromkeys(names, 0.0)

    def add(self, name: str, value: float = 1) -> None:
        """Add ``value`` to metric ``name``."""
        with self._lock:
            self._values[name] += value

    def set(self, name: str, value: float) -> None:
        """Set metric ``name`` (used for ``Duration``)."""
        if name not in self._values:
            raise KeyError(name)
        with self._lock:
            self._values[name] = value

    def value(self, name: str) -> float:
        """The current value of ``name`` in this invocation."""
        return self._values[name]

    def snapshot(self) -> dict[str, float]:
        """All values of this invocation, by name."""
        with self._lock:
            return dict(self._values)

    def flush(self) -> dict[str, object]:
        """Write the EMF line, reset the counters and return the document written."""
        with self._lock:
            values, self._values = self._values, dict.fromkeys(self.names, 0.0)
        now = time.time()
        document: dict[str, object] = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now))
            + f".{int(now * 1000) % 1000:03d}Z",
            "level": self.level,
            "_aws": {
                "Timestamp": int(now * 1000),
                "CloudWatchMetrics": [
                    {
                        "Namespace": NAMESPACE,
                        "Dimensions": [list(self.dimensions)],
                        "Metrics": [{"Name": n, "Unit": UNITS[n]} for n in self.names],
                    }
                ],
            },
            **self.dimensions,
            **{name: int(v) if float(v).is_integer() else v for name, v in values.items()},
        }
        self._write(json.dumps(document, separators=(",", ":")))
        return document
