"""`trellis restore` brings back exactly the earlier state after corruption, then writes nothing."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

from generator.ops.backups import BackupVersion
from generator.ops.restore import RestorePlan, progress_path, restore, versions_at
from tests.ops.support import Seeded, envelope, order


def _v(key: str, version: str, minute: int) -> BackupVersion:
    at = datetime(2026, 12, 2, 9, minute, tzinfo=UTC)
    return BackupVersion(key, version, at, 10, False)


def _without_sequence(items: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
    return {k: {n: v for n, v in i.items() if n != "trellis_sequence"} for k, i in items.items()}


def test_versions_at_picks_the_version_current_then() -> None:
    """The newest version at or before the time wins; objects created later are listed apart."""
    versions = [_v("a", "1", 0), _v("a", "2", 10), _v("a", "3", 20), _v("b", "1", 30)]
    current, later = versions_at(versions, datetime(2026, 12, 2, 9, 15, tzinfo=UTC))
    assert {k: v.version_id for k, v in current.items()} == {"a": "2"}
    assert later == {"b"}


def test_restore_after_corruption_then_second_run_writes_nothing(seeded: Seeded) -> None:
    """Corrupted and deleted items come back exactly; untouched ones are not written."""
    seeded.send([envelope(order(n, total=10.0 + n), observed_at=5_000 + n) for n in range(12)])
    seeded.process_all()
    before = seeded.items()
    assert len(before) == 12
    ddb = seeded.target.client("dynamodb")
    table = seeded.created.table_name
    ddb.update_item(
        TableName=table,
        Key={"order_id": {"S": "A-00003"}},
        UpdateExpression="SET #s = :s",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": {"S": "CORRUPTED"}},
    )
    ddb.put_item(TableName=table, Item={"order_id": {"S": "A-00007"}, "status": {"S": "?"}})
    ddb.delete_item(TableName=table, Key={"order_id": {"S": "A-00009"}})

    at = datetime.now(UTC) + timedelta(seconds=1)
    plan = RestorePlan(at=at, progress_file=progress_path(seeded.root, seeded.target, at))
    dry = restore(seeded.target, RestorePlan(at=at, dry_run=True))
    assert (dry.would_write, dry.written) == (3, 0)
    first = restore(seeded.target, plan)
    assert sorted(first.keys_written) == ["A-00003", "A-00007", "A-00009"]
    assert (first.records, first.identical, first.written) == (12, 9, 3)
    # the sequence within one observation is not in the backup's metadata: an item restored
    # from scratch has none, which orders it before any later copy of the same observation
    assert _without_sequence(seeded.items()) == _without_sequence(before)
    assert seeded.items()["A-00003"] == before["A-00003"]  # patched in place: kept
    second = restore(seeded.target, plan)
    assert (second.identical, second.written) == (12, 0)
    assert not plan.progress_file.exists()  # type: ignore[union-attr]


def test_interrupted_restore_resumes_past_finished_keys(seeded: Seeded) -> None:
    """Progress is kept per key: a re-run skips what an interrupted run finished."""
    seeded.send([envelope(order(n)) for n in range(5)])
    seeded.process_all()
    seeded.target.client("dynamodb").delete_item(
        TableName=seeded.created.table_name, Key={"order_id": {"S": "A-00004"}}
    )
    at = datetime.now(UTC) + timedelta(seconds=1)
    plan = RestorePlan(at=at, progress_file=progress_path(seeded.root, seeded.target, at))

    def stop_at_third(done: int, total: int) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with contextlib.suppress(KeyboardInterrupt):
        restore(seeded.target, plan, on_progress=stop_at_third)
    report = restore(seeded.target, plan)
    assert (report.resumed_past, report.written) == (2, 1)
    assert "A-00004" in seeded.items()
