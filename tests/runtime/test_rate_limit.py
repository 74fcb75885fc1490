"""The run-wide rate limiter: spacing across threads and push-back from the source."""

from __future__ import annotations

import threading

import pytest

from runtime.ingest.rate_limit import MAX_HOLD_SECONDS, RateLimiter


class FakeTime:
    """A clock that only moves when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = 100.0
        self.lock = threading.Lock()
        self.sends: list[float] = []

    def clock(self) -> float:
        """The current fake time."""
        return self.now

    def sleep(self, seconds: float) -> None:
        """Nobody waits; the waits are recorded through the reservations instead."""


def test_requests_are_spaced_by_the_rate_across_threads() -> None:
    """Forty requests from eight threads get distinct slots 1/r apart, in any order."""
    fake = FakeTime()
    limiter = RateLimiter(4.0, clock=fake.clock, sleep=fake.sleep)
    slots: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(5):
            wait = limiter.reserve()
            with lock:
                slots.append(fake.now + wait)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(slots) == [100.0 + n * 0.25 for n in range(40)]
    in_any_second = max(sum(1 for s in slots if t <= s < t + 1) for t in slots)
    assert in_any_second == 4


def test_idle_time_is_not_saved_up_for_a_burst() -> None:
    """After a quiet spell the next requests are spaced again: no burst above the rate."""
    fake = FakeTime()
    limiter = RateLimiter(2.0, clock=fake.clock, sleep=fake.sleep)
    assert limiter.reserve() == 0
    fake.now += 60
    assert [limiter.reserve() for _ in range(3)] == [0, 0.5, 1.0]


def test_a_hold_stops_every_worker() -> None:
    """A Retry-After seen by one worker delays the next request of every worker."""
    fake = FakeTime()
    limiter = RateLimiter(None, clock=fake.clock, sleep=fake.sleep)
    assert limiter.reserve() == 0
    limiter.hold(3)
    assert limiter.reserve() == 3 and limiter.reserve() == 3
    fake.now += 3
    assert limiter.reserve() == 0
    limiter.hold(10**6)
    assert limiter.reserve() == MAX_HOLD_SECONDS
    assert limiter.holds == 2


def test_acquire_sleeps_for_the_reserved_wait() -> None:
    """acquire() sleeps exactly the reservation's wait, through the injected sleep."""
    slept: list[float] = []
    now = [0.0]
    limiter = RateLimiter(10.0, clock=lambda: now[0], sleep=slept.append)
    limiter.acquire()
    limiter.acquire()
    assert slept == [pytest.approx(0.1)]


def test_a_rate_must_be_positive() -> None:
    """A zero rate is a wiring bug, not a silent stop."""
    with pytest.raises(ValueError, match="positive"):
        RateLimiter(0)
