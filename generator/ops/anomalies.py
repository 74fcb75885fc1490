"""Payloads that fail shaping or deviate from the shape seen so far.

Payloads are read from the backup bucket (every version since ``--since``) and from the
DLQ, oldest first. Each is checked against the blueprint's ``spec.shape`` (with the
runtime's own :class:`~runtime.ingest.shaping.Shaper`) and against a profile of the
payloads before it: which key paths occur, with which JSON types, and how large payloads
are. After a warm-up of :data:`WARM_UP` payloads, a deviation is

- **missing key path**: a path present in at least 99 % of the payloads so far is absent;
- **type change**: a path holds a JSON type it never held before;
- **new key**: a path never seen before appears (every payload with it is counted);
- **size outlier**: the payload is over 4× or under ¼ of the median size so far.

Lists count as one path (``lines[]``) whose element paths are profiled together.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from generator.ops.backups import BackupVersion, list_versions, read_version
from generator.ops.dlq import read_dead_letters, release
from generator.ops.target import PipelineTarget

__all__ = ["AnomalyReport", "Payload", "anomalies", "find_anomalies"]

WARM_UP = 20
COMMON = 0.99
SIZE_FACTOR = 4.0
#: Backup versions read at once.
READERS = 16


@dataclass(frozen=True)
class Payload:
    """One raw payload and where it came from."""

    when: int
    origin: str
    body: bytes


def _type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def key_paths(value: object, prefix: str = "") -> dict[str, str]:
    """Every key path of ``value`` with its JSON type (list elements under ``path[]``)."""
    found: dict[str, str] = {}
    if isinstance(value, dict):
        for key, child in value.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            found[path] = _type(child)
            found.update(key_paths(child, path))
    elif isinstance(value, list):
        for child in value:
            if isinstance(child, dict | list):
                found.update(key_paths(child, f"{prefix}[]"))
    return found


@dataclass
class Finding:
    """One kind of deviation at one path: how often, since when, examples."""

    kind: str
    path: str
    count: int = 0
    first_seen: int = 0
    examples: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "kind": self.kind,
            "path": self.path,
            "count": self.count,
            "first_seen": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.first_seen / 1000)),
            "examples": self.examples,
        }


@dataclass
class AnomalyReport:
    """Every deviation found among ``checked`` payloads."""

    checked: int
    findings: list[Finding]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"checked": self.checked, "findings": [f.as_dict() for f in self.findings]}

    def lines(self) -> list[str]:
        """The human report."""
        rows = [f"{self.checked} payloads checked, {len(self.findings)} kinds of deviation"]
        for finding in self.findings:
            first = finding.as_dict()["first_seen"]
            rows.append(
                f"  {finding.count:>5} × {finding.kind:<18} {finding.path}  (first {first})"
            )
            for example in finding.examples:
                rows.append(f"          {example['origin']}: {example['detail']}")
        return rows


class _Profile:
    def __init__(self) -> None:
        self.seen = 0
        self.paths: Counter[str] = Counter()
        self.types: dict[str, set[str]] = {}
        self.sizes: list[int] = []
        self.new_paths: set[str] = set()

    def deviations(self, paths: dict[str, str], size: int) -> list[tuple[str, str, str]]:
        found: list[tuple[str, str, str]] = []
        if self.seen < WARM_UP:
            return found
        for path, count in self.paths.items():
            if path not in paths and count >= COMMON * self.seen and path not in self.new_paths:
                found.append(("missing key path", path, f"{path} is absent"))
        for path, kind in paths.items():
            if path in self.new_paths or path not in self.paths:
                found.append(("new key", path, f"{path} ({kind}) was never seen before"))
            elif kind not in self.types[path]:
                was = "/".join(sorted(self.types[path]))
                found.append(("type change", path, f"{path} is {kind}, was {was}"))
        median = statistics.median(self.sizes)
        if size > SIZE_FACTOR * median or size * SIZE_FACTOR < median:
            found.append(("size outlier", "(payload)", f"{size} bytes, median {median:g}"))
        return found

    def learn(self, paths: dict[str, str], size: int) -> None:
        if self.seen >= WARM_UP:
            self.new_paths.update(p for p in paths if p not in self.paths)
        self.seen += 1
        self.paths.update(paths.keys())
        for path, kind in paths.items():
            self.types.setdefault(path, set()).add(kind)
        self.sizes.append(size)


def find_anomalies(payloads: list[Payload], shaper: Any, *, examples: int = 3) -> AnomalyReport:
    """Check ``payloads`` (any order; sorted oldest first here) against shape and profile."""
    findings: dict[tuple[str, str], Finding] = {}

    def note(kind: str, path: str, payload: Payload, detail: str) -> None:
        finding = findings.setdefault((kind, path), Finding(kind, path, first_seen=payload.when))
        finding.count += 1
        finding.first_seen = min(finding.first_seen, payload.when)
        if len(finding.examples) < examples:
            finding.examples.append({"origin": payload.origin, "detail": detail})

    profile = _Profile()
    for payload in sorted(payloads, key=lambda p: (p.when, p.origin)):
        try:
            raw = json.loads(payload.body)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            note("fails shaping", "(body)", payload, f"not JSON: {error}")
            continue
        if isinstance(raw, dict) and raw.get("trellis") == 1 and "record" in raw:
            raw = raw["record"]  # a retrieval envelope from the DLQ
        try:
            shaper.shape_record(raw)
        except ValueError as error:
            note("fails shaping", "(shape)", payload, str(error))
        paths = key_paths(raw)
        size = len(payload.body)
        for kind, path, detail in profile.deviations(paths, size):
            note(kind, path, payload, detail)
        profile.learn(paths, size)
    ordered = sorted(findings.values(), key=lambda f: (f.first_seen, f.kind, f.path))
    return AnomalyReport(checked=len(payloads), findings=ordered)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def collect_payloads(target: PipelineTarget, *, since_ms: int) -> list[Payload]:
    """Backup versions modified since ``since_ms`` and the DLQ's messages."""
    resources = target.resources
    s3 = target.client("s3")
    versions = [
        v
        for v in list_versions(s3, resources.backup_bucket, resources.backup_prefix)
        if _ms(v.last_modified) >= since_ms
    ]

    def fetch(version: BackupVersion) -> Payload:
        body, _ = read_version(s3, resources.backup_bucket, version)
        origin = f"s3 {version.object_key} version {version.version_id}"
        return Payload(when=_ms(version.last_modified), origin=origin, body=body)

    with ThreadPoolExecutor(max_workers=READERS) as pool:  # boto3 clients are thread-safe
        payloads = list(pool.map(fetch, versions))
    sqs = target.client("sqs")
    url = target.queue_url(resources.dlq_name)
    letters = read_dead_letters(sqs, url)
    try:
        for letter in letters:
            payloads.append(
                Payload(
                    when=letter.sent_at,
                    origin=f"dlq message {letter.message_id}",
                    body=letter.body.encode(),
                )
            )
    finally:
        release(sqs, url, letters)
    return payloads


def anomalies(target: PipelineTarget, *, since_ms: int) -> AnomalyReport:
    """The anomaly report of ``target``'s backups and DLQ since ``since_ms``."""
    from runtime.core.settings import load_processing
    from runtime.ingest.shaping import Shaper

    settings = load_processing(target.function_environment("process"))
    return find_anomalies(collect_payloads(target, since_ms=since_ms), Shaper(settings.shape))
