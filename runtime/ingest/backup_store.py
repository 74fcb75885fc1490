"""The backup store: raw payloads in S3 under immutable, content-addressed keys.

A payload of record ``K`` is backed up to ``<prefix><url-quoted K>/<sha256 of payload>.json``
with ``If-None-Match: *``, and the item in DynamoDB names that key. Because the key is
the payload's hash, an object is never overwritten and never changes:

- two writers racing for the same record each write their own object; whichever loses the
  conditional ``PutItem`` leaves an object nobody points at, and the item always names
  an object that holds exactly its payload (with one stable key per record and versions,
  the older writer could land its version last and make a stale payload "current");
- a redelivered message, a second copy of the same content, or a retried write whose
  first attempt did land finds the object already there: S3 answers 412
  ``PreconditionFailed``, which means "already backed up" — no read is needed first, so
  the function needs neither ``s3:GetObject`` nor ``s3:ListBucket``;
- the objects under ``<prefix><K>/`` are the record's audit trail.

Objects carry the change hash, observation time and correlation id as metadata. Writing
only ever happens under ``prefix``. A key too long for S3 (1,024 bytes) is refused before
any call (:class:`~runtime.ingest.exceptions.MalformedRecordError`).
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import quote

from runtime.core.aws import classify_aws_error, error_code, is_invalid_data
from runtime.core.capabilities import Capability
from runtime.core.retry import Retrier
from runtime.ingest.exceptions import MalformedRecordError

__all__ = ["CAPABILITIES", "MAX_OBJECT_KEY_BYTES", "BackupStore"]

CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        component="ingest.backup_store",
        resource="backup_objects",
        actions=("s3:PutObject",),
    ),
)

MAX_OBJECT_KEY_BYTES = 1024


class BackupStore:
    """The backup bucket of one pipeline, accessed through ``s3_client``.

    Errors: throttling (``SlowDown``), a concurrent conditional write (409) and 5xx are
    retried under ``retrier`` and end in
    :class:`~runtime.core.exceptions.RetryExhaustedError`; a payload S3 refuses as invalid
    raises :class:`~runtime.ingest.exceptions.MalformedRecordError`; a missing bucket or
    a denied write propagates as botocore ``ClientError``.
    """

    def __init__(self, s3_client: Any, bucket: str, prefix: str, retrier: Retrier) -> None:
        self._s3 = s3_client
        self.bucket = bucket
        self.prefix = prefix
        self._retrier = retrier

    def object_key(self, key: str, body: bytes) -> str:
        """The object key of payload ``body`` of record ``key`` (always under the prefix).

        Raises:
            MalformedRecordError: the key would be longer than S3 allows.
        """
        digest = hashlib.sha256(body).hexdigest()
        object_key = f"{self.prefix}{quote(key, safe='')}/{digest}.json"
        size = len(object_key.encode("utf-8"))
        if size > MAX_OBJECT_KEY_BYTES:
            raise MalformedRecordError(
                f"the backup key for record key of {len(key.encode('utf-8'))} bytes would be "
                f"{size} bytes; S3 allows {MAX_OBJECT_KEY_BYTES}"
            )
        return object_key

    def put(
        self,
        key: str,
        body: bytes,
        *,
        change_hash: str,
        observed_at: int,
        correlation_id: str,
    ) -> str:
        """Back up ``body`` for record ``key`` unless it already is; returns the object key."""
        from botocore.exceptions import ClientError  # botocore comes with boto3

        object_key = self.object_key(key, body)

        def attempt() -> None:
            try:
                self._s3.put_object(
                    Bucket=self.bucket,
                    Key=object_key,
                    Body=body,
                    ContentType="application/json",
                    IfNoneMatch="*",
                    Metadata={
                        "change-hash": change_hash,
                        "observed-at": str(observed_at),
                        "correlation-id": correlation_id,
                    },
                )
            except ClientError as error:
                if error_code(error) == "PreconditionFailed":
                    return  # this exact payload is already there
                if is_invalid_data(error):
                    raise MalformedRecordError(f"S3 refused the backup: {error}") from None
                raise

        self._retrier.call("s3.PutObject", attempt, classify_aws_error)
        return object_key
