"""boto3 clients built from the environment, and which AWS errors are worth retrying.

Clients are created from the function's environment (region from ``AWS_REGION``, and
``AWS_ENDPOINT_URL`` when set, which is how tests point them at a local moto server) and
passed into the components' constructors. botocore's own retries are turned off
(``total_max_attempts=1``): the runtime's :class:`~runtime.core.retry.Retrier` is the one
place that retries, so backoff, attempt counts and the ``Retries`` metric mean one thing.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RETRYABLE_CODES", "classify_aws_error", "client"]

#: Error codes that mean "try again later" on the services the runtime calls.
RETRYABLE_CODES = frozenset(
    {
        "InternalError",
        "InternalFailure",
        "InternalServerError",
        "LimitExceededException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "RequestThrottledException",
        "RequestTimeout",
        "RequestTimeoutException",
        "ServiceUnavailable",
        "SlowDown",
        "ThrottledException",
        "Throttling",
        "ThrottlingException",
        "TooManyRequestsException",
        "TransactionInProgressException",
    }
)


def client(service: str, *, read_timeout: float = 10, max_pool_connections: int = 32) -> Any:
    """A boto3 client for ``service`` configured for the runtime (no botocore retries)."""
    import boto3  # the Lambda runtime provides it; only loaded when used
    from botocore.config import Config

    config = Config(
        retries={"total_max_attempts": 1, "mode": "standard"},
        connect_timeout=5,
        read_timeout=read_timeout,
        max_pool_connections=max_pool_connections,
    )
    return boto3.client(service, config=config)


def classify_aws_error(error: BaseException) -> bool:
    """True for throttling, server errors and connection failures; False for the rest."""
    from botocore.exceptions import (  # botocore is part of boto3
        ClientError,
        ConnectionError,
        HTTPClientError,
    )

    if isinstance(error, ClientError):
        response: dict[str, Any] = error.response
        code = str(response.get("Error", {}).get("Code", ""))
        status = int(response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
        return code in RETRYABLE_CODES or status >= 500
    return isinstance(error, ConnectionError | HTTPClientError)
