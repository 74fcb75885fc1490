"""The dead-letter queue: what is in it and why (inspect), and moving it back (redrive).

Why a message failed is not on the message: the processing function logs ``record
failed`` with the message id and the reason each time it reports a message as a batch
item failure. SQS keeps the message id when the redrive policy moves a message to the
DLQ, so :func:`inspect` joins the DLQ's messages to those log lines. Reasons are grouped
by :func:`reason_group`, which drops the per-record details (the value found, a JSON
parser's column) so one cause is one group.

Reading the DLQ means receiving its messages: they are received with a short visibility
timeout and released (visibility 0) before returning, so inspect never deletes and
leaves every message as it found it, apart from its receive count.

:func:`redrive` sends a copy of each selected message to the source queue and deletes the
DLQ message only after SQS accepted the copy. Each accepted copy is first written to a
journal file; a re-run after an interruption deletes the journalled messages without
sending them again, so an interrupted redrive loses nothing and duplicates nothing. The
one window left — killed between SQS accepting the copy and the journal write — can
deliver a record twice, which is harmless: the processor compares the record's change
hash with the stored one and writes nothing for content it already holds, and its
DynamoDB write is conditional on the stored observation being older.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.ops.logs import filter_lines
from generator.ops.target import PipelineTarget

__all__ = [
    "DeadLetter",
    "InspectReport",
    "RedriveReport",
    "inspect",
    "read_dead_letters",
    "reason_group",
    "redrive",
]

UNKNOWN_REASON = "unknown: no processing log line names this message"
REDRIVEN_FROM = "trellis_redriven_from"


def reason_group(reason: str) -> str:
    """``reason`` without its per-record details.

    ``malformed: body is not JSON: Expecting value: line 1 column 1`` → ``malformed: body
    is not JSON``; ``malformed: key field 'order_id' (path 'id') is None; it must be …``
    → ``malformed: key field 'order_id' (path 'id') is missing or invalid``.
    """
    head = reason.split(";", 1)[0]
    parts = head.split(": ")
    head = ": ".join(parts[:2])
    head = re.sub(r"\) is .*$", ") is missing or invalid", head)
    head = re.sub(r"\b\d+\b", "N", head)
    return head.strip()


@dataclass
class DeadLetter:
    """One message in the DLQ, with the reason its last failure was logged with."""

    message_id: str
    body: str
    attributes: dict[str, Any]
    message_attributes: dict[str, Any]
    receipt_handle: str
    correlation_id: str | None = None
    reason: str = UNKNOWN_REASON
    failed_at: int | None = None

    @property
    def sent_at(self) -> int:
        """When the message was first sent (ms since the epoch)."""
        return int(self.attributes.get("SentTimestamp") or 0)

    @property
    def group(self) -> str:
        """The reason's group."""
        return reason_group(self.reason) if self.reason != UNKNOWN_REASON else UNKNOWN_REASON


def read_dead_letters(sqs: Any, queue_url: str, *, visibility: int = 30) -> list[DeadLetter]:
    """Every message of the queue, received once each (until a receive returns nothing)."""
    found: dict[str, DeadLetter] = {}
    while True:
        got = sqs.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=10,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
            VisibilityTimeout=visibility,
            WaitTimeSeconds=0,
        ).get("Messages", [])
        if not got:
            break
        for message in got:
            attributes = dict(message.get("MessageAttributes") or {})
            cid = (attributes.get("correlation_id") or {}).get("StringValue")
            found.setdefault(
                str(message["MessageId"]),
                DeadLetter(
                    message_id=str(message["MessageId"]),
                    body=str(message.get("Body", "")),
                    attributes=dict(message.get("Attributes") or {}),
                    message_attributes=attributes,
                    receipt_handle=str(message["ReceiptHandle"]),
                    correlation_id=cid,
                ),
            )
    return sorted(found.values(), key=lambda d: (d.sent_at, d.message_id))


def release(sqs: Any, queue_url: str, letters: list[DeadLetter]) -> None:
    """Make received messages visible again at once."""
    for start in range(0, len(letters), 10):
        sqs.change_message_visibility_batch(
            QueueUrl=queue_url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": d.receipt_handle, "VisibilityTimeout": 0}
                for i, d in enumerate(letters[start : start + 10])
            ],
        )


def attach_reasons(target: PipelineTarget, letters: list[DeadLetter], since_ms: int) -> None:
    """Fill each letter's reason from the processing function's ``record failed`` lines."""
    wanted = {d.message_id: d for d in letters}
    process = target.resources.process
    for line in filter_lines(
        target.client("logs"), process.log_group, "process", "record failed", since_ms
    ):
        letter = wanted.get(str(line.fields.get("message_id", "")))
        if letter is None:
            continue
        if letter.failed_at is None or line.timestamp >= letter.failed_at:
            letter.failed_at = line.timestamp
            letter.reason = str(line.fields.get("reason", UNKNOWN_REASON))
            letter.correlation_id = letter.correlation_id or line.correlation_id


def _iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ms / 1000))


@dataclass
class ReasonGroup:
    """The messages that failed for one reason."""

    reason: str
    count: int = 0
    first_seen: int | None = None
    last_seen: int | None = None
    samples: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "reason": self.reason,
            "count": self.count,
            "first_seen": _iso(self.first_seen),
            "last_seen": _iso(self.last_seen),
            "samples": self.samples,
        }


@dataclass
class InspectReport:
    """The DLQ's messages grouped by reason, largest group first."""

    queue: str
    total: int
    groups: list[ReasonGroup]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "queue": self.queue,
            "total": self.total,
            "groups": [g.as_dict() for g in self.groups],
        }

    def lines(self) -> list[str]:
        """The human report."""
        rows = [f"{self.queue}: {self.total} messages in {len(self.groups)} reasons"]
        for group in self.groups:
            rows.append(
                f"\n  {group.count:>5} × {group.reason}\n"
                f"        first seen {_iso(group.first_seen)}, last seen {_iso(group.last_seen)}"
            )
            for sample in group.samples:
                rows.append(
                    f"        {sample['message_id']}  correlation id {sample['correlation_id']}"
                    f"\n          {sample['body'][:100]}"
                )
        return rows


def group_letters(letters: list[DeadLetter], samples: int = 3) -> list[ReasonGroup]:
    """Group ``letters`` by reason, largest group first, with a few samples each."""
    groups: dict[str, ReasonGroup] = {}
    for letter in letters:
        group = groups.setdefault(letter.group, ReasonGroup(letter.group))
        group.count += 1
        seen = letter.failed_at or letter.sent_at
        group.first_seen = seen if group.first_seen is None else min(group.first_seen, seen)
        group.last_seen = seen if group.last_seen is None else max(group.last_seen, seen)
        if len(group.samples) < samples:
            group.samples.append(
                {
                    "message_id": letter.message_id,
                    "correlation_id": letter.correlation_id,
                    "reason": letter.reason,
                    "body": letter.body[:500],
                }
            )
    return sorted(groups.values(), key=lambda g: (-g.count, g.reason))


def inspect(target: PipelineTarget, *, since_ms: int) -> InspectReport:
    """Read the DLQ (without deleting), attach failure reasons, group them."""
    sqs = target.client("sqs")
    url = target.queue_url(target.resources.dlq_name)
    letters = read_dead_letters(sqs, url)
    try:
        attach_reasons(target, letters, since_ms)
    finally:
        release(sqs, url, letters)
    return InspectReport(target.resources.dlq_name, len(letters), group_letters(letters))


@dataclass
class RedriveReport:
    """What a redrive selected, moved, and left."""

    selected: int
    moved: int
    resumed: int
    left: int
    dry_run: bool
    reasons: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return dict(self.__dict__)

    def lines(self) -> list[str]:
        """The human report."""
        verb = "would move" if self.dry_run else "moved"
        rows = [
            f"{verb} {self.moved if not self.dry_run else self.selected} of "
            f"{self.selected + self.left} messages back to the source queue"
            + (f" ({self.resumed} finished from an interrupted run)" if self.resumed else "")
        ]
        rows += [f"  {count:>5} × {reason}" for reason, count in sorted(self.reasons.items())]
        if self.left:
            noun = "message" if self.left == 1 else "messages"
            rows.append(f"  {self.left} {noun} of other reasons stay in the DLQ")
        return rows


class _Journal:
    """Message ids whose copy SQS accepted, appended and synced before the delete."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.ids: set[str] = set()
        if path.is_file():
            self.ids = {line.strip() for line in path.read_text().splitlines() if line.strip()}

    def add(self, message_id: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(message_id + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        self.ids.add(message_id)

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
        self.ids = set()


def _copy_attributes(letter: DeadLetter) -> dict[str, Any]:
    copied: dict[str, Any] = {}
    for name, value in letter.message_attributes.items():
        entry = {"DataType": value.get("DataType", "String")}
        for key in ("StringValue", "BinaryValue"):
            if key in value:
                entry[key] = value[key]
        copied[name] = entry
    copied[REDRIVEN_FROM] = {"DataType": "String", "StringValue": letter.message_id}
    return dict(list(copied.items())[-10:])  # SQS allows 10 attributes


def redrive(
    target: PipelineTarget,
    *,
    journal: Path,
    reason: str | None = None,
    dry_run: bool = False,
    since_ms: int = 0,
    visibility: int = 30,
    after_send: Callable[[DeadLetter], None] | None = None,
) -> RedriveReport:
    """Move the DLQ's messages (those whose reason group contains ``reason``) back.

    ``after_send`` is called after each accepted copy, before its delete (tests use it to
    interrupt a redrive at the worst moment).
    """
    sqs = target.client("sqs")
    dlq_url = target.queue_url(target.resources.dlq_name)
    source_url = target.queue_url(target.resources.queue_name)
    letters = read_dead_letters(sqs, dlq_url, visibility=visibility)
    pending = list(letters)
    try:
        attach_reasons(target, letters, since_ms)
        done = _Journal(journal)
        # a journalled message was copied already: it is finished whatever --reason says
        wanted = [
            d
            for d in letters
            if d.message_id in done.ids or reason is None or reason.lower() in d.group.lower()
        ]
        reasons: dict[str, int] = {}
        for letter in wanted:
            reasons[letter.group] = reasons.get(letter.group, 0) + 1
        report = RedriveReport(
            selected=len(wanted),
            moved=0,
            resumed=0,
            left=len(letters) - len(wanted),
            dry_run=dry_run,
            reasons=reasons,
        )
        if dry_run:
            return report
        for letter in wanted:
            if letter.message_id in done.ids:
                report.resumed += 1
            else:
                sqs.send_message(
                    QueueUrl=source_url,
                    MessageBody=letter.body,
                    MessageAttributes=_copy_attributes(letter),
                )
                done.add(letter.message_id)
                if after_send is not None:
                    after_send(letter)
            sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=letter.receipt_handle)
            pending.remove(letter)
            report.moved += 1
        done.clear()
        return report
    finally:
        release(sqs, dlq_url, pending)


def journal_path(root: Path, target: PipelineTarget) -> Path:
    """Where a redrive of ``target`` journals its accepted copies."""
    d = target.deployment
    return root / ".trellis" / "redrive" / d.target.env / f"{d.blueprint}.journal"


def dump(data: object) -> str:
    """Stable JSON for ``--format json``."""
    return json.dumps(data, indent=2, sort_keys=True, default=str)
