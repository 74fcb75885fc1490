"""Secrets from SSM Parameter Store, by name, cached for the life of the container.

A SecureString is read with ``GetParameter(WithDecryption=True)`` the first time a name is
asked for and then served from memory for ``ttl_seconds`` (5 minutes by default), so a
warm function calls SSM at most once per name per TTL and a rotated secret is picked up
within one TTL.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from runtime.core.aws import classify_aws_error
from runtime.core.capabilities import Capability
from runtime.core.retry import Retrier

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["CAPABILITIES", "SecretStore"]

CAPABILITIES: tuple[Capability, ...] = (
    Capability(component="core.secret_store", resource="parameter", actions=("ssm:GetParameter",)),
)


class SecretStore:
    """Reads SecureString parameters through ``ssm_client`` and caches them.

    Errors: a missing parameter raises botocore's ``ParameterNotFound`` client error (not
    retried); throttling and 5xx are retried under ``retrier`` and end in
    :class:`~runtime.core.exceptions.RetryExhaustedError`.
    """

    def __init__(
        self,
        ssm_client: Any,
        retrier: Retrier,
        *,
        ttl_seconds: float = 300,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ssm = ssm_client
        self._retrier = retrier
        self._ttl = ttl_seconds
        self._clock = clock
        self._cache: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> str:
        """The decrypted value of parameter ``name``."""
        now = self._clock()
        with self._lock:
            cached = self._cache.get(name)
            if cached is not None and now - cached[0] < self._ttl:
                return cached[1]
        response = self._retrier.call(
            "ssm.GetParameter",
            lambda: self._ssm.get_parameter(Name=name, WithDecryption=True),
            classify_aws_error,
        )
        value = str(response["Parameter"]["Value"])
        with self._lock:
            self._cache[name] = (now, value)
        return value
