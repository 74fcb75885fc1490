"""`trellis run` as a user runs it: the orders example twice, failures, a queue-fed pipeline."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import cli
from runtime.core.retry import set_test_mode
from tests.blueprint.repo import example_repository

EXAMPLE = Path(__file__).parents[2] / "examples" / "orders.records.json"


@pytest.fixture(autouse=True)
def no_waiting() -> object:
    """Retries run for real without sleeping."""
    set_test_mode(True)
    yield
    set_test_mode(False)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A fresh copy of the example repository."""
    return example_repository(tmp_path / "repo")


def run(repo: Path, *args: str) -> tuple[int, str, str]:
    """`trellis run ...` in ``repo``; exit code, stdout, stderr."""
    result = CliRunner().invoke(cli, ["run", *args, "--repo", str(repo)])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_orders_twice_second_run_changes_and_writes_nothing(repo: Path) -> None:
    """Run 1 stores all 60 shipped records; run 2: 0 changed, 0 item writes, only positions move.

    The newer unchanged observation still moves each item's ordering position forward
    (one ``UpdateItem`` each, no S3 write): that is what stops a late, older, different
    delivery from overwriting the newer data (docs/runtime.md, "Ordering").
    """
    code, out, _ = run(repo, "orders", "--source-file", str(EXAMPLE), "--format", "json")
    assert code == 0
    first = json.loads(out)
    assert (first["pages"], first["fetched"], first["changed"]) == (3, 60, 60)
    assert (first["dynamodb_writes"], first["s3_versions_written"], first["in_dlq"]) == (60, 60, 0)
    code, out, _ = run(repo, "orders", "--source-file", str(EXAMPLE), "--format", "json")
    second = json.loads(out)
    assert (second["changed"], second["unchanged"], second["dynamodb_writes"]) == (0, 60, 0)
    assert second["dynamodb_position_updates"] == 60
    assert (second["s3_versions_written"], second["s3_versions_total"]) == (0, 60)
    assert second["restored_items"] == 60


def test_text_output_names_resources_and_summarises(repo: Path) -> None:
    """The text output names each created resource and ends with the summary rows."""
    code, out, _ = run(repo, "orders", "--source-file", str(EXAMPLE), "--pages", "2")
    assert code == 0
    for needle in (
        "queue      dev-orders-records",
        "dlq        dev-orders-records-dlq",
        "table      dev-orders-items",
        "kms key    alias/dev-orders",
        "parameter  /commerce/orders/api-token = local-placeholder-secret",
        "  pages        2",
        "  fetched      40",
        "  DynamoDB     2 reads (0 items), 40 item writes, 0 position updates",
    ):
        assert needle in out, out


def test_malformed_records_fail_partially_and_reach_the_dlq(repo: Path, tmp_path: Path) -> None:
    """Two bad records fail alone (partial batch), are retried maxReceiveCount times, then DLQ."""
    records = json.loads(EXAMPLE.read_text())[:10]
    records[3] = {"status": "no id"}
    records[7] = ["not", "an", "object"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(records))
    code, out, _ = run(repo, "orders", "--source-file", str(path), "--format", "json", "--fresh")
    summary = json.loads(out)
    assert code == 0
    assert (summary["changed"], summary["failed"], summary["in_dlq"]) == (8, 2, 0 + 2)
    assert summary["batches"] >= 5  # the two failed messages came back until redriven


def test_queue_triggered_pipeline_sends_the_file_to_its_queue(repo: Path) -> None:
    """`events` has no retrieval: the records go on its queue as another producer's would."""
    events = [{"id": f"e-{n}", "actor": {"id": "u"}, "action": "login"} for n in range(7)]
    path = repo / "events.json"
    path.write_text(json.dumps(events))
    code, out, _ = run(repo, "events", "--source-file", str(path), "--format", "json")
    assert code == 0, out
    summary = json.loads(out)
    assert (summary["pages"], summary["fetched"], summary["changed"]) == (0, 7, 7)


def test_bad_records_file_is_a_user_error(repo: Path, tmp_path: Path) -> None:
    """A records file that is not JSON: exit 2, the file named, a fix, no traceback."""
    path = tmp_path / "records.json"
    path.write_text("{nope")
    code, _, err = run(repo, "orders", "--source-file", str(path))
    assert code == 2
    assert f"{path}: the records file is not JSON" in err
    assert "fix:" in err and "Traceback" not in err


def test_missing_moto_names_the_extra(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the [local] extra the error says how to install it."""
    monkeypatch.setitem(sys.modules, "moto.server", None)
    code, _, err = run(repo, "orders", "--source-file", str(EXAMPLE))
    assert code == 2
    assert "pip install 'trellis-iac[local]'" in err
