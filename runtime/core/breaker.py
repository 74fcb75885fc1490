"""The stop mechanism: a circuit breaker that ends a run after consecutive failures.

A run (one invocation) records each unit of work — a page, a record — as a success or a
failure *after* its retries. After ``max_consecutive_failures`` failures in a row the
breaker opens: the run stops taking new work, and what is left stays queued (processing)
or unfetched (retrieval) for the next run. One success resets the count. A breaker lives
for one invocation, so a later run starts closed and probes the dependency again.
"""

from __future__ import annotations

import threading

__all__ = ["CircuitBreaker"]


class CircuitBreaker:
    """Counts consecutive failures; :attr:`open` once ``max_consecutive_failures`` is reached."""

    def __init__(self, max_consecutive_failures: int) -> None:
        if max_consecutive_failures < 1:
            raise ValueError("max_consecutive_failures must be at least 1")
        self.max_consecutive_failures = max_consecutive_failures
        self._consecutive = 0
        self._open = False
        self._lock = threading.Lock()

    @property
    def open(self) -> bool:
        """True once the run must stop taking new work."""
        return self._open

    def record_success(self) -> None:
        """A unit of work succeeded: the failure streak is broken."""
        with self._lock:
            self._consecutive = 0

    def record_failure(self) -> bool:
        """A unit of work failed after its retries; returns True if this failure tripped it."""
        with self._lock:
            self._consecutive += 1
            if not self._open and self._consecutive >= self.max_consecutive_failures:
                self._open = True
                return True
            return False
