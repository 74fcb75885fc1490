"""The local pipeline's durable state, kept between runs in ``.trellis/local/``.

The moto server lives only as long as one ``trellis run``. What a real pipeline keeps
between runs — the table's items and the backup bucket's object versions — is saved at
the end of a run and put back at the start of the next, so a second run on the same data
sees the stored hashes and writes nothing. Object versions get new version ids when they
are put back; the items' ``trellis_backup_version`` is mapped to the new ids. Queues are
not kept: a local run drains its queue before it ends. ``--fresh`` ignores the file.

What can go wrong: a state file written by another blueprint version whose table key
changed is refused with a :class:`~generator.errors.UserError` (fix: ``--fresh``).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from generator.errors import UserError

__all__ = ["load_state", "save_state", "state_path"]

FORMAT = 1
_VERSION_ATTRIBUTE = "trellis_backup_version"


def state_path(root: Path, env: str, blueprint: str) -> Path:
    """``<repo>/.trellis/local/<env>/<blueprint>.json`` (``.trellis/`` is git-ignored)."""
    return root / ".trellis" / "local" / env / f"{blueprint}.json"


def save_state(path: Path, client: Any, *, table: str, bucket: str, key: str) -> None:
    """Write the table's items and every backup version (oldest first) to ``path``."""
    items = []
    for page in client("dynamodb").get_paginator("scan").paginate(TableName=table):
        items.extend(page["Items"])
    items.sort(key=lambda item: json.dumps(item[key], sort_keys=True))
    s3 = client("s3")
    versions = []
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        versions.extend(page.get("Versions", []))
    versions.sort(key=lambda v: (v["Key"], v["LastModified"]))
    objects = []
    for version in versions:
        got = s3.get_object(Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"])
        objects.append(
            {
                "key": version["Key"],
                "version_id": version["VersionId"],
                "body": base64.b64encode(got["Body"].read()).decode(),
                "content_type": got.get("ContentType", "application/json"),
                "metadata": got.get("Metadata") or {},
            }
        )
    document = {"format": FORMAT, "key": key, "items": items, "objects": objects}
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(document, sort_keys=True, indent=1), encoding="utf-8")
    temporary.replace(path)


def load_state(path: Path, client: Any, *, table: str, bucket: str, key: str) -> tuple[int, int]:
    """Put a saved state back; returns (items, object versions) restored.

    Raises:
        UserError: the file is unreadable or was saved for a different table key.
    """
    if not path.is_file():
        return 0, 0
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UserError.single(
            str(path), f"the saved local state is unreadable: {error}", hint="run with --fresh"
        ) from None
    if document.get("format") != FORMAT or document.get("key") != key:
        raise UserError.single(
            str(path),
            f"the saved local state is for table key {document.get('key')!r}, not {key!r}",
            hint="run with --fresh to start from an empty table",
        )
    s3 = client("s3")
    new_ids: dict[str, str] = {}
    for obj in document["objects"]:
        response = s3.put_object(
            Bucket=bucket,
            Key=obj["key"],
            Body=base64.b64decode(obj["body"]),
            ContentType=obj["content_type"],
            Metadata=obj["metadata"],
        )
        new_ids[obj["version_id"]] = str(response.get("VersionId") or "null")
    ddb = client("dynamodb")
    for item in document["items"]:
        old = (item.get(_VERSION_ATTRIBUTE) or {}).get("S")
        if old in new_ids:
            item[_VERSION_ATTRIBUTE] = {"S": new_ids[old]}
        ddb.put_item(TableName=table, Item=item)
    return len(document["items"]), len(document["objects"])
