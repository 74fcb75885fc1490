"""Why a login stops: one exception type whose ``reason`` is logged and tested.

A :class:`LoginRejected` always ends the request the same way (fail closed): no session,
both cookies cleared, one log line naming ``reason``. ``reason`` is a stable snake_case
code (``state_mismatch``, ``id_token_nonce_mismatch``); it never contains a token, a
key or a cookie value, so it is safe to log.
"""

from __future__ import annotations

__all__ = ["LoginRejected"]


class LoginRejected(Exception):
    """The request cannot go on; ``reason`` says why (safe to log, never key material).

    ``status`` is the HTTP status the caller answers with: 400 for a bad request or a
    failed check, 502 when the provider could not be reached or answered nonsense.
    ``detail`` is an OAuth error code the provider returned (``invalid_grant``), already
    checked to be a short snake_case word.
    """

    def __init__(self, reason: str, status: int = 400, *, detail: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.detail = detail
