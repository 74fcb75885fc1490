"""boto3 clients built from the environment, and which AWS errors are worth retrying.

Clients are created from the function's environment (region from ``AWS_REGION``, and
``AWS_ENDPOINT_URL`` when set, which is how tests point them at a local moto server) and
passed into the components' constructors. botocore's own retries are turned off
(``total_max_attempts=1``): the runtime's :class:`~runtime.core.retry.Retrier` is the one
place that retries, so backoff, attempt counts and the ``Retries`` metric mean one thing.

Timeouts are short and fixed (connect 2 s, read 5 s): one attempt can take at most
:data:`ATTEMPT_SECONDS`, which is what the retrier checks against the invocation's
deadline before starting it. botocore's defaults (60 s reads) would let one call outlive
a 60 s function.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ATTEMPT_SECONDS",
    "INVALID_DATA_CODES",
    "RETRYABLE_CODES",
    "classify_aws_error",
    "client",
    "error_code",
    "is_invalid_data",
]

CONNECT_TIMEOUT = 2.0
READ_TIMEOUT = 5.0
#: The longest one AWS call can take with the runtime's clients (both timeouts, plus slack).
ATTEMPT_SECONDS = CONNECT_TIMEOUT + READ_TIMEOUT + 1.0

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
        "ConditionalRequestConflict",
        "ServiceUnavailable",
        "SlowDown",
        "ThrottledException",
        "Throttling",
        "ThrottlingException",
        "TooManyRequestsException",
        "TransactionInProgressException",
    }
)


#: Error codes that mean "this data can never be stored" (a 4xx that no retry fixes): an
#: item or key over DynamoDB's limits, a number out of range, an S3 key too long.
INVALID_DATA_CODES = frozenset(
    {"ValidationException", "KeyTooLongError", "EntityTooLarge", "InvalidArgument"}
)


def client(
    service: str, *, read_timeout: float = READ_TIMEOUT, max_pool_connections: int = 32
) -> Any:
    """A boto3 client for ``service`` configured for the runtime (no botocore retries)."""
    import boto3  # the Lambda runtime provides it; only loaded when used
    from botocore.config import Config

    config = Config(
        retries={"total_max_attempts": 1, "mode": "standard"},
        connect_timeout=CONNECT_TIMEOUT,
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


def error_code(error: BaseException) -> str:
    """The AWS error code of a botocore ``ClientError`` (``""`` for anything else)."""
    response = getattr(error, "response", None)
    if not isinstance(response, dict):
        return ""
    return str(response.get("Error", {}).get("Code", ""))


def is_invalid_data(error: BaseException) -> bool:
    """True for a client error that says the data itself can never be stored."""
    return error_code(error) in INVALID_DATA_CODES
