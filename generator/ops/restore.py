"""Rebuilding table items from the backup bucket's object versions as of a time.

For each record, the backup version current at ``--at`` (the newest version last
modified at or before it) is read, shaped with the blueprint's ``spec.shape`` by the
runtime's own shaper, and compared with the item in the table: fields, change hash and
observation time. Only items that differ are written, each with a condition that the
item is still what was read (so a record the pipeline updates meanwhile is not
overwritten; it is reported as skipped). A second restore to the same time writes
nothing.

Resumable: keys are handled in sorted order and each finished key is appended to a
progress file; a re-run skips them (``--restart`` ignores the file). Because only
differing items are written, a re-run without the file is also correct, just slower.

Records whose first backup is after ``--at`` did not exist then; they are reported and
left alone (restore never deletes). Bookkeeping the backup does not hold (the sequence
within one observation, an expiry) is kept from the item when it exists; an item
recreated from scratch has no sequence, which orders it before any later copy of the
same observation.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.ops.backups import BackupVersion, backup_attributes, list_versions, read_version
from generator.ops.target import PipelineTarget

if TYPE_CHECKING:
    from runtime.ingest.shaping import Shaper

__all__ = ["RestorePlan", "RestoreReport", "restore"]

HASH = "trellis_hash"
OBSERVED_AT = "trellis_observed_at"


@dataclass
class RestoreReport:
    """What a restore found and did."""

    at: str
    records: int = 0
    identical: int = 0
    written: int = 0
    would_write: int = 0
    skipped_changed_meanwhile: int = 0
    resumed_past: int = 0
    newer_than_at: int = 0
    dry_run: bool = False
    keys_written: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return dict(self.__dict__)

    def lines(self) -> list[str]:
        """The human report."""
        rows = [
            f"restore as of {self.at}: {self.records} records with a backup at that time",
            f"  identical    {self.identical}",
            f"  {'would write' if self.dry_run else 'written':<12} "
            f"{self.would_write if self.dry_run else self.written}",
        ]
        if self.skipped_changed_meanwhile:
            rows.append(
                f"  skipped      {self.skipped_changed_meanwhile} (changed while restoring)"
            )
        if self.resumed_past:
            rows.append(f"  resumed      {self.resumed_past} done by an earlier, interrupted run")
        if self.newer_than_at:
            rows.append(
                f"  newer        {self.newer_than_at} records first backed up after --at "
                "(left alone)"
            )
        for key in self.keys_written[:20]:
            rows.append(f"    {key}")
        return rows


def versions_at(
    versions: list[BackupVersion], at: datetime
) -> tuple[dict[str, BackupVersion], set[str]]:
    """Per object key, the version current at ``at``; and the object keys created after it."""
    current: dict[str, BackupVersion] = {}
    later: set[str] = set()
    for version in versions:
        if version.last_modified <= at:
            best = current.get(version.object_key)
            if best is None or version.last_modified >= best.last_modified:
                current[version.object_key] = version
        else:
            later.add(version.object_key)
    return current, later - set(current)


def _differs(existing: dict[str, Any], wanted: dict[str, Any]) -> bool:
    """True when the item's fields or restore-relevant bookkeeping differ from ``wanted``.

    Bookkeeping the backup cannot rebuild (``trellis_*`` attributes restore does not set,
    such as an expiry or a sequence number) is neither compared nor dropped.
    """
    if any(existing.get(name) != value for name, value in wanted.items()):
        return True
    return any(name not in wanted and not name.startswith("trellis_") for name in existing)


@dataclass
class _Progress:
    path: Path | None
    done: set[str] = field(default_factory=set)

    def load(self) -> None:
        if self.path is not None and self.path.is_file():
            self.done = set(self.path.read_text(encoding="utf-8").splitlines())

    def add(self, key: str) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(key + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def finish(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)


@dataclass(frozen=True)
class RestorePlan:
    """A restore request: the time, one key or all, and where progress is kept."""

    at: datetime
    key: str | None = None
    dry_run: bool = False
    progress_file: Path | None = None
    restart: bool = False


def _chosen_versions(
    s3: Any, bucket: str, current: Iterable[BackupVersion], shaper: Shaper
) -> dict[str, tuple[BackupVersion, bytes, dict[str, str]]]:
    """The payload of each object's version at the restore time, by the key it shapes to.

    Two objects that shape to one key (a key field renamed between versions): the later
    write wins.
    """
    chosen: dict[str, tuple[BackupVersion, bytes, dict[str, str]]] = {}
    for version in sorted(current, key=lambda v: v.object_key):
        body, metadata = read_version(s3, bucket, version)
        record = shaper.shape_record(json.loads(body))
        best = chosen.get(record.key)
        if best is None or version.last_modified >= best[0].last_modified:
            chosen[record.key] = (version, body, metadata)
    return chosen


def _wanted_item(
    shaper: Shaper,
    key_attribute: str,
    version: BackupVersion,
    body: bytes,
    metadata: dict[str, str],
) -> dict[str, Any]:
    """The item the processor would have written for this backed-up payload."""
    from runtime.ingest.dedup_store import to_attribute

    record = shaper.shape_record(json.loads(body))
    wanted = {name: to_attribute(value) for name, value in record.fields.items()}
    wanted[key_attribute] = {"S": record.key}
    wanted[HASH] = {"S": record.change_hash}
    wanted[OBSERVED_AT] = {"N": str(int(metadata.get("observed-at") or 0))}
    wanted.update(backup_attributes(version))
    return wanted


def _unchanged_since_read(existing: dict[str, Any] | None, key_attribute: str) -> dict[str, Any]:
    """The put's condition: the item is still as restore read it (or still absent).

    A processor that wrote the item meanwhile fails the condition, and restore skips the
    key rather than overwrite newer data.
    """
    if existing is None:
        return {
            "ConditionExpression": "attribute_not_exists(#k)",
            "ExpressionAttributeNames": {"#k": key_attribute},
        }
    if OBSERVED_AT in existing and HASH in existing:
        return {
            "ConditionExpression": "#o = :o AND #h = :h",
            "ExpressionAttributeNames": {"#o": OBSERVED_AT, "#h": HASH},
            "ExpressionAttributeValues": {":o": existing[OBSERVED_AT], ":h": existing[HASH]},
        }
    return {
        "ConditionExpression": "attribute_exists(#k)",
        "ExpressionAttributeNames": {"#k": key_attribute},
    }


def restore(
    target: PipelineTarget,
    plan: RestorePlan,
    *,
    on_progress: Callable[[int, int], None] | None = None,
) -> RestoreReport:
    """Rebuild the items of ``target`` as of ``plan.at``."""
    from botocore.exceptions import ClientError

    from runtime.core.settings import load_processing
    from runtime.ingest.shaping import Shaper

    resources = target.resources
    settings = load_processing(target.function_environment("process"))
    shaper = Shaper(settings.shape)
    key_attribute = settings.shape.key
    s3 = target.client("s3")
    ddb = target.client("dynamodb")
    report = RestoreReport(at=plan.at.isoformat(), dry_run=plan.dry_run)
    progress = _Progress(None if plan.dry_run else plan.progress_file)
    if not plan.restart:
        progress.load()

    versions = list(list_versions(s3, resources.backup_bucket, resources.backup_prefix))
    current, later = versions_at(versions, plan.at)
    report.newer_than_at = len(later)

    chosen = _chosen_versions(s3, resources.backup_bucket, current.values(), shaper)
    keys = sorted(k for k in chosen if plan.key is None or k == plan.key)
    report.records = len(keys)

    for index, key in enumerate(keys, start=1):
        if on_progress is not None:
            on_progress(index, len(keys))
        if key in progress.done:
            report.resumed_past += 1
            continue
        wanted = _wanted_item(shaper, key_attribute, *chosen[key])
        existing = ddb.get_item(
            TableName=resources.table_name, Key={key_attribute: {"S": key}}, ConsistentRead=True
        ).get("Item")
        if existing is not None and not _differs(existing, wanted):
            report.identical += 1
            progress.add(key)
            continue
        if plan.dry_run:
            report.would_write += 1
            report.keys_written.append(key)
            continue
        condition = _unchanged_since_read(existing, key_attribute)
        for name, value in (existing or {}).items():
            if name.startswith("trellis_") and name not in wanted:
                wanted[name] = value  # kept as it was: an expiry, a sequence number
        try:
            ddb.put_item(TableName=resources.table_name, Item=wanted, **condition)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            report.skipped_changed_meanwhile += 1
            continue
        report.written += 1
        report.keys_written.append(key)
        progress.add(key)
    if not plan.dry_run:
        progress.finish()
    return report


def progress_path(root: Path, target: PipelineTarget, at: datetime) -> Path:
    """Where a restore of ``target`` to ``at`` keeps its progress."""
    d = target.deployment
    stamp = at.strftime("%Y%m%dT%H%M%S")
    return root / ".trellis" / "restore" / d.target.env / f"{d.blueprint}-{stamp}.progress"
