"""One correlation id across the retrieval and processing functions, in time order.

Both functions log JSON lines carrying ``correlation_id`` (the retrieval run's id, which
travels on every queued message as an attribute). :func:`trace` reads every line that
mentions the id from both log groups (``filter_log_events``, paginated), orders them by
time, and for each record key the processing lines name, finds the backup object version
written under that correlation id (its ``correlation-id`` metadata).

What can go wrong: per-record lines (``record changed`` with its key) are logged at DEBUG;
at INFO only failures name records, so the backup versions can only be found when the
environment logs at DEBUG — the report says so instead of showing nothing silently.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from generator.ops.backups import backup_reference, record_versions
from generator.ops.logs import LogLine, filter_lines
from generator.ops.target import PipelineTarget

__all__ = ["BackupHit", "TraceReport", "trace"]


@dataclass(frozen=True)
class BackupHit:
    """A backup version written under the traced correlation id."""

    record_key: str
    object_key: str
    version_id: str
    current: bool


@dataclass
class TraceReport:
    """The traced lines and the backup versions they produced."""

    correlation_id: str
    lines: list[LogLine]
    backups: list[BackupHit] = field(default_factory=list)
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "correlation_id": self.correlation_id,
            "lines": [
                {
                    "timestamp": line.timestamp,
                    "function": line.function,
                    **(line.fields or {"message": line.message}),
                }
                for line in self.lines
            ],
            "backups": [hit.__dict__ for hit in self.backups],
            "note": self.note,
        }

    def text(self) -> list[str]:
        """The human report: one row per line, then the backups."""
        rows = [f"{self.correlation_id}: {len(self.lines)} log lines"]
        for line in self.lines:
            stamp = time.strftime("%H:%M:%S", time.gmtime(line.timestamp / 1000))
            stamp += f".{line.timestamp % 1000:03d}"
            fields = line.fields
            if fields:
                extra = {
                    k: v
                    for k, v in fields.items()
                    if k
                    not in {
                        "timestamp",
                        "level",
                        "logger",
                        "message",
                        "correlation_id",
                        "blueprint",
                        "environment",
                        "function",
                        "exception",
                    }
                }
                detail = " ".join(f"{k}={v}" for k, v in extra.items())
                rows.append(
                    f"  {stamp} {line.function:<8} {fields.get('level', ''):<7} "
                    f"{fields.get('message', '')}" + (f"  {detail}" if detail else "")
                )
            else:
                rows.append(f"  {stamp} {line.function:<8} {line.message}")
        if self.backups:
            rows.append(f"backup versions written under {self.correlation_id}:")
            rows += [
                f"  {hit.record_key}: s3://…/{hit.object_key} version {hit.version_id}"
                + (" (current)" if hit.current else "")
                for hit in self.backups
            ]
        if self.note:
            rows.append(self.note)
        return rows


def _keys_written(lines: list[LogLine]) -> list[str]:
    keys = {
        str(line.fields["key"])
        for line in lines
        if line.function == "process"
        and "key" in line.fields
        and line.fields.get("message") == "record changed"
    }
    return sorted(keys)


def backups_for(target: PipelineTarget, keys: list[str], correlation_id: str) -> list[BackupHit]:
    """Each key's backup versions whose metadata names ``correlation_id``."""
    resources = target.resources
    ddb = target.client("dynamodb")
    s3 = target.client("s3")
    spec: Any = target.deployment.spec
    hits = []
    for key in keys:
        item = ddb.get_item(
            TableName=resources.table_name, Key={spec.shape.key: {"S": key}}, ConsistentRead=True
        ).get("Item", {})
        current = backup_reference(item, key, resources.backup_prefix)
        for version in record_versions(s3, resources.backup_bucket, resources.backup_prefix, key):
            head = s3.head_object(
                Bucket=resources.backup_bucket, Key=version.object_key, VersionId=version.version_id
            )
            if (head.get("Metadata") or {}).get("correlation-id") == correlation_id:
                hits.append(
                    BackupHit(
                        record_key=key,
                        object_key=version.object_key,
                        version_id=version.version_id,
                        current=version.object_key == current.object_key
                        and current.version_id in (None, version.version_id),
                    )
                )
    return hits


def trace(
    target: PipelineTarget, correlation_id: str, *, since_ms: int, missing_ok: bool = False
) -> TraceReport:
    """Every line of ``correlation_id`` in both functions' logs, then its backup versions.

    With ``missing_ok`` a pipeline whose log groups do not exist (not deployed in this
    account) yields an empty report instead of an error.
    """
    from botocore.exceptions import ClientError

    logs = target.client("logs")
    lines: list[LogLine] = []
    for function in target.functions:
        try:
            for line in filter_lines(
                logs, function.log_group, function.purpose, correlation_id, since_ms
            ):
                if line.correlation_id in (correlation_id, None) and correlation_id in line.message:
                    lines.append(line)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code")
            if not (missing_ok and code == "ResourceNotFoundException"):
                raise
    lines.sort(key=lambda line: (line.timestamp, line.function != "retrieve"))
    report = TraceReport(correlation_id, lines)
    keys = _keys_written(lines)
    if keys:
        report.backups = backups_for(target, keys, correlation_id)
    elif lines and not any(line.fields.get("level") == "DEBUG" for line in lines):
        report.note = (
            "no per-record lines: records are logged at DEBUG; set log.level: DEBUG in the "
            "environment to see each record's key and backup version"
        )
    elif not lines:
        report.note = "no log lines: check the id, --since, --env and the account"
    return report
