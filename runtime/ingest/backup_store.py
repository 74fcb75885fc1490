"""The backup store: raw payloads in a versioned S3 bucket, one stable key per record.

A record with key ``K`` is backed up to ``<prefix><url-quoted K>.json``; each distinct
content that is written becomes a new version of that object, so the bucket's version
history is the record's audit trail and its lifecycle rule expires superseded versions.
Objects carry the change hash, observation time and correlation id as metadata.

Writing is idempotent per content: before a write the current version's metadata is
read (``HeadObject``) and reused when it already holds this change hash. That covers a
backup written by an earlier delivery whose DynamoDB write then failed — the same
message redelivered, or another copy of the same content — and a retried write whose
first attempt did land. It costs one extra request per *changed* record only. Without
``s3:ListBucket`` S3 answers 403 rather than 404 for an absent key; both mean "not
backed up yet". Writing only ever happens under ``prefix``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from runtime.core.aws import classify_aws_error
from runtime.core.capabilities import Capability
from runtime.core.retry import Retrier

__all__ = ["CAPABILITIES", "BackupStore"]

CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        component="ingest.backup_store",
        resource="backup_objects",
        actions=("s3:GetObject", "s3:PutObject"),
    ),
)


class BackupStore:
    """The backup bucket of one pipeline, accessed through ``s3_client``.

    Errors: throttling (``SlowDown``) and 5xx are retried under ``retrier`` and end in
    :class:`~runtime.core.exceptions.RetryExhaustedError`; a missing bucket or a denied
    write propagates as botocore ``ClientError``.
    """

    def __init__(self, s3_client: Any, bucket: str, prefix: str, retrier: Retrier) -> None:
        self._s3 = s3_client
        self.bucket = bucket
        self.prefix = prefix
        self._retrier = retrier

    def object_key(self, key: str) -> str:
        """The object key for record key ``key`` (always under the prefix)."""
        return f"{self.prefix}{quote(key, safe='')}.json"

    def _current_version(self, object_key: str, change_hash: str) -> str | None:
        from botocore.exceptions import ClientError  # botocore comes with boto3

        try:
            head = self._s3.head_object(Bucket=self.bucket, Key=object_key)
        except ClientError as error:
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if status in (403, 404):
                return None
            raise
        if head.get("Metadata", {}).get("change-hash") == change_hash:
            return str(head.get("VersionId") or "null")
        return None

    def put(
        self,
        key: str,
        body: bytes,
        *,
        change_hash: str,
        observed_at: int,
        correlation_id: str,
    ) -> str:
        """Back up ``body`` for record ``key`` and return the S3 version id.

        If the current version already holds ``change_hash`` its version id is returned
        and nothing is written.
        """
        object_key = self.object_key(key)

        def attempt() -> str:
            existing = self._current_version(object_key, change_hash)
            if existing is not None:
                return existing
            response = self._s3.put_object(
                Bucket=self.bucket,
                Key=object_key,
                Body=body,
                ContentType="application/json",
                Metadata={
                    "change-hash": change_hash,
                    "observed-at": str(observed_at),
                    "correlation-id": correlation_id,
                },
            )
            return str(response.get("VersionId") or "null")

        return self._retrier.call("s3.PutObject", attempt, classify_aws_error)
