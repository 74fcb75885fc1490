"""`trellis dlq inspect` and `redrive` against a DLQ filled by the real processing handler."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from generator.cli.main import cli
from generator.ops.dlq import DeadLetter, inspect, journal_path, reason_group, redrive
from tests.ops.support import Seeded, envelope, order

NOT_JSON = ["this is not json", "{broken"]
A_LIST = ["[1, 2, 3]", '["a"]', "[]"]
NO_KEY = [envelope({"status": "paid", "n": n}) for n in range(4)]


@pytest.fixture
def dead(seeded: Seeded) -> Seeded:
    """Three failure reasons (2 + 3 + 4 messages) dead-lettered, plus 5 good records stored."""
    seeded.send(NOT_JSON + A_LIST + NO_KEY + [envelope(order(n)) for n in range(5)])
    stats = seeded.process_all()
    assert len(stats.failed_messages) == 9
    return seeded


def test_reason_group_drops_per_record_details() -> None:
    """Values and parser positions vanish from the group; the cause stays."""
    assert reason_group(
        "malformed: body is not JSON: Expecting value: line 1 column 1 (char 0)"
    ) == ("malformed: body is not JSON")
    assert (
        reason_group(
            "malformed: key field 'order_id' (path 'id') is None; it must be a non-empty string"
        )
        == "malformed: key field 'order_id' (path 'id') is missing or invalid"
    )


def test_inspect_groups_three_reasons_and_deletes_nothing(dead: Seeded) -> None:
    """Inspect reports each reason with its count, samples and times; the DLQ keeps all 9."""
    report = inspect(dead.target, since_ms=0)
    assert report.total == 9
    assert [(g.reason, g.count) for g in report.groups] == [
        ("malformed: key field 'order_id' (path 'id') is missing or invalid", 4),
        ("malformed: record is a JSON list, not an object", 3),
        ("malformed: body is not JSON", 2),
    ]
    for group in report.groups:
        assert group.first_seen is not None and group.last_seen is not None
        assert group.first_seen <= group.last_seen
        assert all(s["correlation_id"] == "seed-run" for s in group.samples)
    assert len(dead.queue_bodies(dead.created.dlq_url)) == 9


def test_redrive_of_one_reason_moves_exactly_those(dead: Seeded) -> None:
    """--reason 'JSON list' moves the 3 list bodies and leaves the other 6 in the DLQ."""
    report = redrive(dead.target, journal=journal_path(dead.root, dead.target), reason="JSON list")
    assert (report.selected, report.moved, report.left) == (3, 3, 6)
    assert dead.queue_bodies(dead.created.queue_url) == sorted(A_LIST)
    assert dead.queue_bodies(dead.created.dlq_url) == sorted(NOT_JSON + NO_KEY)


def test_dry_run_moves_nothing(dead: Seeded) -> None:
    """--dry-run counts what would move and leaves both queues as they were."""
    report = redrive(dead.target, journal=journal_path(dead.root, dead.target), dry_run=True)
    assert (report.selected, report.moved) == (9, 0)
    assert dead.queue_bodies(dead.created.queue_url) == []
    assert len(dead.queue_bodies(dead.created.dlq_url)) == 9


def test_interrupted_redrive_rerun_loses_and_duplicates_nothing(dead: Seeded) -> None:
    """Killed after a copy was accepted but before its delete, a re-run finishes exactly once."""
    journal = journal_path(dead.root, dead.target)
    sent: list[str] = []

    def interrupt(letter: DeadLetter) -> None:
        sent.append(letter.message_id)
        if len(sent) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        redrive(dead.target, journal=journal, reason="key field", after_send=interrupt)
    assert journal.is_file()
    report = redrive(dead.target, journal=journal, reason="key field")
    assert report.resumed == 1
    assert dead.queue_bodies(dead.created.queue_url) == sorted(NO_KEY)
    assert dead.queue_bodies(dead.created.dlq_url) == sorted(NOT_JSON + A_LIST)
    assert not journal.exists()


def test_cli_inspect_json_and_unknown_blueprint(dead: Seeded) -> None:
    """The command resolves every name from BLUEPRINT --env; a typo is a user error, exit 2."""
    args = ["--env", "dev", "--repo", str(dead.root), "--endpoint-url", dead.aws.endpoint_url]
    result = CliRunner().invoke(cli, ["dlq", "inspect", "orders", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] == 9
    result = CliRunner().invoke(cli, ["dlq", "inspect", "ordrs", *args])
    assert result.exit_code == 2
    assert "blueprint 'ordrs' does not exist" in result.stderr
    assert "Traceback" not in result.stderr
    result = CliRunner().invoke(cli, ["dlq", "inspect", "portal", *args])
    assert result.exit_code == 2
    assert "is a StaticSite" in result.stderr
