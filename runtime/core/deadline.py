"""The invocation's deadline: how long the function may still work before Lambda kills it.

Lambda stops a function at its timeout mid-call, and then *every* message of the batch
returns to the queue having used up a receive, whatever the function had already done.
So the runtime never starts work it cannot finish: a :class:`Deadline` is built from the
context's ``get_remaining_time_in_millis()`` and bound for the invocation
(:func:`bind_deadline`); the retrier asks it before every attempt and before every wait
(:meth:`Deadline.allows`), and the handlers ask it before every unit of work.

``reserve_seconds`` is kept back for what must happen after the last unit of work: the
partial-batch response, the visibility changes, the metrics line. A test or a benchmark
passes a fake ``remaining_ms`` (driven by a fake clock), so nothing waits for real.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["Deadline", "DeadlineExceededError", "bind_deadline", "current_deadline"]


class DeadlineExceededError(RuntimeError):
    """Work was not started (or not retried) because the invocation would time out first.

    The unit of work is *deferred*, not failed: the dependency may be fine, there was just
    no time left. Handlers report it like a failure (the message is redelivered later) but
    do not count it towards the circuit breaker.
    """


class Deadline:
    """Time left in this invocation, from ``remaining_ms`` (the Lambda context's method)."""

    def __init__(self, remaining_ms: Callable[[], float], *, reserve_seconds: float = 3.0) -> None:
        self._remaining_ms = remaining_ms
        self.reserve_seconds = reserve_seconds

    @classmethod
    def from_context(cls, context: object, *, reserve_seconds: float = 3.0) -> Deadline | None:
        """The deadline of a Lambda ``context``; None when it has no remaining-time method."""
        method = getattr(context, "get_remaining_time_in_millis", None)
        if not callable(method):
            return None
        return cls(method, reserve_seconds=reserve_seconds)

    def remaining(self) -> float:
        """Seconds left before the reserve is reached (negative once it is)."""
        return float(self._remaining_ms()) / 1000 - self.reserve_seconds

    def allows(self, seconds: float) -> bool:
        """True if work that may take ``seconds`` ends before the reserve."""
        return self.remaining() >= seconds


_current: ContextVar[Deadline | None] = ContextVar("trellis_deadline", default=None)


def current_deadline() -> Deadline | None:
    """The deadline bound for the current invocation, if any."""
    return _current.get()


@contextmanager
def bind_deadline(deadline: Deadline | None) -> Iterator[None]:
    """Make ``deadline`` the current one inside the ``with`` block (threads copy it)."""
    token = _current.set(deadline)
    try:
        yield
    finally:
        _current.reset(token)
