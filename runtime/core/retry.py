"""Retries with exponential backoff and full jitter, through stamina.

:class:`Retrier` runs a call up to ``max_attempts`` times. Before each retry it waits
``uniform(0, min(max_delay, base_delay · 2^(attempt-1)))`` ("full jitter", which spreads
retrying clients out best), unless the error itself says how long to wait (an HTTP 429 or
503 with ``Retry-After``), in which case that wait is used, capped at ``max_delay``.

Which errors are worth retrying is decided by a *classifier* per call site: it returns
``False`` (give up at once), ``True`` (retry with backoff) or a number of seconds (retry
after exactly that long). When retries run out the last error is wrapped in
:class:`~runtime.core.exceptions.RetryExhaustedError`; errors the classifier rejects
propagate unchanged.

stamina is imported on first use, not at import time: it pulls in tenacity, which costs
more import time than the whole handler, and a function only pays it once it calls out.

Retries are bounded by the invocation's deadline (:mod:`runtime.core.deadline`): an
attempt is not started unless it can end (``attempt_seconds``, the client's own timeouts)
before the deadline's reserve, and a wait is not begun unless the next attempt could still
end in time. Either way :class:`~runtime.core.deadline.DeadlineExceededError` is raised
(from the last error, if any) instead of letting Lambda kill the invocation mid-call.

Test mode (:func:`set_test_mode`) keeps every attempt but never sleeps, so fault tests run
the real retry paths at full speed; ``on_wait`` sees every planned wait, which is how a
benchmark on simulated time advances its clock.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from runtime.core.deadline import DeadlineExceededError, current_deadline
from runtime.core.exceptions import RetryExhaustedError
from runtime.core.settings import RetryPolicy

__all__ = ["Classifier", "Retrier", "set_test_mode"]

T = TypeVar("T")
#: ``False``: do not retry; ``True``: retry after backoff; a float: retry after that many seconds.
Classifier = Callable[[BaseException], bool | float]
OnRetry = Callable[[str, int, BaseException], None]
OnWait = Callable[[float], None]


def _stamina() -> Any:
    """stamina, imported on first use, with its default retry logging turned off.

    The runtime logs and counts retries itself (one JSON line per retry, the ``Retries``
    metric); stamina's own hooks would print a second, unstructured line.
    """
    global _configured  # one-time setup of a third-party library's global state
    import stamina  # deferred, see the module docstring
    import stamina.instrumentation

    if not _configured:
        stamina.instrumentation.set_on_retry_hooks([])
        _configured = True
    return stamina


_configured = False


def set_test_mode(enabled: bool) -> None:
    """Turn waiting off (``True``) or back on; the number of attempts is unchanged."""
    _stamina().set_testing(enabled, attempts=1_000, cap=True)


class Retrier:
    """Runs calls under one :class:`RetryPolicy`, reporting every retry to ``on_retry``."""

    def __init__(
        self,
        policy: RetryPolicy,
        on_retry: OnRetry | None = None,
        *,
        attempt_seconds: float = 0.0,
        on_wait: OnWait | None = None,
    ) -> None:
        self.policy = policy
        self._on_retry = on_retry
        self.attempt_seconds = attempt_seconds
        self._on_wait = on_wait

    def backoff(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based), full jitter."""
        ceiling = min(self.policy.max_delay_ms, self.policy.base_delay_ms * 2 ** (attempt - 1))
        return random.uniform(0, ceiling) / 1000  # noqa: S311 - jitter, not security

    def _hook(
        self, classify: Classifier, state: dict[str, object]
    ) -> Callable[[Exception], bool | float]:
        def hook(error: Exception) -> bool | float:
            state["last"] = error
            if isinstance(error, DeadlineExceededError):
                return False
            verdict = classify(error)
            if verdict is False:
                return False
            attempt = state["attempt"]
            assert isinstance(attempt, int)
            if verdict is True:
                wait = self.backoff(attempt)
            else:
                wait = min(float(verdict), self.policy.max_delay_ms / 1000)
            if attempt >= self.policy.max_attempts:
                return wait  # stamina gives up without waiting
            deadline = current_deadline()
            needed = state["attempt_seconds"]
            assert isinstance(needed, float)
            if deadline is not None and not deadline.allows(wait + needed):
                state["deadline"] = True
                return False
            if self._on_wait is not None:
                self._on_wait(wait)
            return wait

        return hook

    def _report(self, operation: str, attempt: int, state: dict[str, object]) -> None:
        state["attempt"] = attempt
        deadline = current_deadline()
        needed = state["attempt_seconds"]
        assert isinstance(needed, float)
        if deadline is not None and not deadline.allows(needed):
            raise DeadlineExceededError(
                f"{operation}: no time left for attempt {attempt} "
                f"({deadline.remaining():.1f} s left, an attempt may take {needed:.1f} s)"
            )
        last = state.get("last")
        if attempt > 1 and self._on_retry is not None and isinstance(last, BaseException):
            self._on_retry(operation, attempt, last)

    def _state(self, attempt_seconds: float | None) -> dict[str, object]:
        seconds = self.attempt_seconds if attempt_seconds is None else attempt_seconds
        return {"attempt": 1, "attempt_seconds": float(seconds)}

    def _exhausted(
        self, operation: str, error: Exception, classify: Classifier, state: dict[str, object]
    ) -> Exception:
        if isinstance(error, DeadlineExceededError):
            return error
        if state.get("deadline"):
            attempt = state["attempt"]
            return DeadlineExceededError(
                f"{operation}: stopped retrying after attempt {attempt}, the invocation's "
                f"deadline is near; last error: {error}"
            )
        if classify(error) is False:
            return error
        return RetryExhaustedError(operation, self.policy.max_attempts, error)

    def call(
        self,
        operation: str,
        fn: Callable[[], T],
        classify: Classifier,
        *,
        attempt_seconds: float | None = None,
    ) -> T:
        """Call ``fn`` until it returns, fails for good, or attempts run out.

        Raises:
            RetryExhaustedError: every attempt failed with a retryable error.
            DeadlineExceededError: the invocation's deadline left no time for an attempt.
            Exception: the first error ``classify`` does not retry, unchanged.
        """
        stamina = _stamina()
        state = self._state(attempt_seconds)
        try:
            for attempt in stamina.retry_context(
                on=self._hook(classify, state), attempts=self.policy.max_attempts, timeout=None
            ):
                with attempt:
                    self._report(operation, attempt.num, state)
                    return fn()
        except Exception as error:
            final = self._exhausted(operation, error, classify, state)
            if final is error:
                raise
            raise final from error
        raise AssertionError("unreachable: stamina yields until success or re-raises")

    async def acall(
        self,
        operation: str,
        fn: Callable[[], Awaitable[T]],
        classify: Classifier,
        *,
        attempt_seconds: float | None = None,
    ) -> T:
        """The async form of :meth:`call`; waits with ``asyncio.sleep``."""
        stamina = _stamina()
        state = self._state(attempt_seconds)
        try:
            async for attempt in stamina.retry_context(
                on=self._hook(classify, state), attempts=self.policy.max_attempts, timeout=None
            ):
                with attempt:
                    self._report(operation, attempt.num, state)
                    return await fn()
        except Exception as error:
            final = self._exhausted(operation, error, classify, state)
            if final is error:
                raise
            raise final from error
        raise AssertionError("unreachable: stamina yields until success or re-raises")
