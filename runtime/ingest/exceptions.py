"""Errors of the ingestion components."""

from __future__ import annotations

__all__ = ["MalformedRecordError", "PageError", "RunIncompleteError", "RunStoppedError"]


class MalformedRecordError(ValueError):
    """A queued message cannot become a stored item: bad JSON, no key, wrong shape.

    Not retried: the message is reported as a batch item failure and reaches the
    dead-letter queue through the queue's redrive policy. ``reason`` says what is wrong.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class PageError(RuntimeError):
    """One page of the HTTP source could not be fetched or read.

    ``retryable`` tells whether trying again may help (timeouts, 429, 5xx) and
    ``retry_after`` carries the source's ``Retry-After`` in seconds when it sent one.
    ``unauthorised`` marks a 401 after which the authenticator dropped its cached
    credentials, so one more attempt may succeed.
    """

    def __init__(
        self,
        reason: str,
        *,
        retryable: bool,
        retry_after: float | None = None,
        unauthorised: bool = False,
    ) -> None:
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after
        self.unauthorised = unauthorised
        super().__init__(reason)


class RunStoppedError(RuntimeError):
    """The circuit breaker stopped a retrieval run; the invocation is reported as failed."""


class RunIncompleteError(RuntimeError):
    """A retrieval run left records behind (failed pages or records, ``max_pages`` reached).

    Raised after the summary is logged and the metrics are flushed, so the invocation
    counts as an error; what was enqueued stays enqueued.
    """
