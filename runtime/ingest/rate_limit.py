"""One request rate for the whole run, shared by every concurrent worker.

:class:`RateLimiter` hands out send times: with ``max_requests_per_second`` = *r*, the
requests of a run start at least ``1/r`` seconds apart, whichever worker makes them, so
the source never sees more than *r* requests in any second (a token bucket of depth one:
no burst above the rate). When the source pushes back (HTTP 429, or 503 with
``Retry-After``), :meth:`RateLimiter.hold` stops *every* worker until then, not only the
one that was told, so a run of sixteen workers does not answer one 429 with fifteen more.

Thread-safe: workers run requests on threads (:func:`asyncio.to_thread`). A reservation
is taken under a lock and waited for outside it. :func:`set_test_mode` turns the waiting
off (the schedule is still computed) so tests never sleep.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["MAX_HOLD_SECONDS", "RateLimiter", "set_test_mode"]

MAX_HOLD_SECONDS = 900.0
"""A Retry-After longer than a Lambda invocation is capped to it."""

_test_mode = False


def set_test_mode(enabled: bool) -> None:
    """Turn real waiting off (``True``) or back on."""
    global _test_mode  # a process-wide switch, like the retry module's
    _test_mode = enabled


def _sleep(seconds: float) -> None:
    if not _test_mode:
        time.sleep(seconds)


class RateLimiter:
    """Spaces requests ``1/rate`` apart across threads and honours source push-back.

    ``rate`` is in requests per second, ``None`` for no limit of our own (push-back is
    still honoured). ``clock`` and ``sleep`` are injectable for tests.
    """

    def __init__(
        self,
        rate: float | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = _sleep,
    ) -> None:
        if rate is not None and rate <= 0:
            raise ValueError(f"rate must be positive, got {rate}")
        self.interval = 0.0 if rate is None else 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next = float("-inf")
        self._held_until = float("-inf")
        self.waited = 0.0
        self.holds = 0

    def reserve(self) -> float:
        """Take the next send slot; the seconds to wait before sending (0 if now)."""
        with self._lock:
            now = self._clock()
            at = max(now, self._next, self._held_until)
            self._next = at + self.interval
            wait = at - now
            self.waited += wait
            return wait

    def acquire(self) -> None:
        """Wait until this worker may send its request."""
        wait = self.reserve()
        if wait > 0:
            self._sleep(wait)

    def hold(self, seconds: float) -> None:
        """No request from any worker for ``seconds`` (a 429 or 503 ``Retry-After``)."""
        seconds = min(max(seconds, 0.0), MAX_HOLD_SECONDS)
        with self._lock:
            self._held_until = max(self._held_until, self._clock() + seconds)
            self.holds += 1
