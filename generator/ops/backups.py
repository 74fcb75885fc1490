"""Where a record's raw payloads are backed up, and reading them back.

This is the one module that knows how a DynamoDB item points at its backup objects:
:func:`backup_reference` reads it from the item (``trellis_backup_key`` when the runtime
records the object key on the item, else the per-record key ``<prefix><quoted key>.json``
the backup store writes today, and ``trellis_backup_version``). Everything else —
``trace``, ``restore``, ``anomalies`` — lists and reads versions through the functions
here and learns a payload's record key by shaping the payload, so a change of key scheme
is a change in this file only.

What can go wrong: listing needs ``s3:ListBucketVersions``, reading an old version
``s3:GetObjectVersion`` (operators' roles, not the functions'); a missing bucket raises
``NoSuchBucket``, which the commands turn into a user error.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

__all__ = [
    "BackupReference",
    "BackupVersion",
    "backup_attributes",
    "backup_reference",
    "list_versions",
    "read_version",
    "record_versions",
]

BACKUP_KEY_ATTRIBUTE = "trellis_backup_key"
BACKUP_VERSION_ATTRIBUTE = "trellis_backup_version"


@dataclass(frozen=True)
class BackupVersion:
    """One version of one backup object."""

    object_key: str
    version_id: str
    last_modified: datetime
    size: int
    is_latest: bool


@dataclass(frozen=True)
class BackupReference:
    """The backup object (and version, when recorded) an item was written from."""

    object_key: str
    version_id: str | None


def backup_reference(item: Mapping[str, Any], record_key: str, prefix: str) -> BackupReference:
    """Where the item of ``record_key`` says its payload is backed up (low-level item)."""
    recorded = (item.get(BACKUP_KEY_ATTRIBUTE) or {}).get("S")
    object_key = recorded or f"{prefix}{quote(record_key, safe='')}.json"
    version = (item.get(BACKUP_VERSION_ATTRIBUTE) or {}).get("S")
    return BackupReference(object_key=object_key, version_id=version)


def backup_attributes(version: BackupVersion) -> dict[str, dict[str, str]]:
    """The item attributes that point at ``version`` (what the processor writes with it):
    the immutable, content-addressed object's key."""
    return {BACKUP_KEY_ATTRIBUTE: {"S": version.object_key}}


def list_versions(s3: Any, bucket: str, prefix: str) -> Iterator[BackupVersion]:
    """Every version of every object under ``prefix`` (delete markers skipped)."""
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
        for version in page.get("Versions", []):
            yield BackupVersion(
                object_key=str(version["Key"]),
                version_id=str(version.get("VersionId") or "null"),
                last_modified=version["LastModified"],
                size=int(version.get("Size", 0)),
                is_latest=bool(version.get("IsLatest")),
            )


def record_versions(s3: Any, bucket: str, prefix: str, record_key: str) -> list[BackupVersion]:
    """Every backup version of one record: ``<prefix><quoted key>.json`` (one object per
    record, versioned) or ``<prefix><quoted key>/<digest>.json`` (one object per content)."""
    base = f"{prefix}{quote(record_key, safe='')}"
    return [
        version
        for version in list_versions(s3, bucket, base)
        if version.object_key == f"{base}.json" or version.object_key.startswith(f"{base}/")
    ]


def read_version(s3: Any, bucket: str, version: BackupVersion) -> tuple[bytes, dict[str, str]]:
    """The body and user metadata of one backup version."""
    response = s3.get_object(Bucket=bucket, Key=version.object_key, VersionId=version.version_id)
    return bytes(response["Body"].read()), dict(response.get("Metadata") or {})
