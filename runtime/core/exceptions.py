"""Errors raised by the runtime's core utilities."""

from __future__ import annotations

__all__ = ["RetryExhaustedError", "SettingsError"]


class SettingsError(ValueError):
    """An environment variable is missing or holds a value the runtime cannot use.

    Raised at cold start, before any record is touched, so a wrongly wired function fails
    its first invocation loudly instead of ingesting with a wrong configuration. The
    message names the variable, the value found and what is expected.
    """

    def __init__(self, variable: str, problem: str) -> None:
        self.variable = variable
        self.problem = problem
        super().__init__(f"environment variable {variable}: {problem}")


class RetryExhaustedError(RuntimeError):
    """A call kept failing with retryable errors until the retry policy gave up.

    ``attempts`` is how many times the call ran; the last error is the ``__cause__``.
    """

    def __init__(self, operation: str, attempts: int, last_error: BaseException) -> None:
        self.operation = operation
        self.attempts = attempts
        super().__init__(f"{operation} failed after {attempts} attempts: {last_error}")
