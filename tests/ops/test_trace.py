"""`trellis trace` across the retrieval and processing functions' logs on the local endpoint."""

from __future__ import annotations

import json

from click.testing import CliRunner

from generator.cli.main import cli
from generator.local.invoke import LocalFunction
from generator.local.resources import PLACEHOLDER_SECRET
from generator.local.source import LocalSource
from generator.ops.trace import trace
from tests.ops.support import Seeded, order


def _retrieve(seeded: Seeded, records: list[object], correlation_id: str) -> None:
    target = seeded.target
    settings = json.loads(target.function_environment("retrieve")["TRELLIS_SOURCE"])
    source = LocalSource(records, settings, page_size=4, secret=PLACEHOLDER_SECRET)
    settings["url"] = source.url
    assert target.resources.retrieve is not None
    function = LocalFunction(
        target.resources.retrieve,
        environment={
            **seeded.aws.environment(),
            "TRELLIS_QUEUE_URL": seeded.created.queue_url,
            "TRELLIS_SOURCE": json.dumps(settings),
        },
        logs_client=target.client("logs"),
    )
    try:
        invocation = function.invoke({"correlation_id": correlation_id})
    finally:
        source.stop()
    assert invocation.error is None, invocation.error


def test_trace_follows_one_run_across_both_functions(seeded: Seeded) -> None:
    """Lines of both functions in time order, and the backup version of each changed record."""
    _retrieve(seeded, [order(n) for n in range(6)], "run-traced")
    _retrieve(seeded, [order(n, status="other") for n in range(100, 103)], "run-other")
    seeded.process_all()
    report = trace(seeded.target, "run-traced", since_ms=0)
    functions = [line.function for line in report.lines]
    assert functions[0] == "retrieve" and "process" in functions
    assert [line.timestamp for line in report.lines] == sorted(
        line.timestamp for line in report.lines
    )
    assert all(line.correlation_id == "run-traced" for line in report.lines)
    assert {line.fields.get("message") for line in report.lines} >= {
        "run started",
        "run finished",
        "record changed",
    }
    assert sorted(hit.record_key for hit in report.backups) == [f"A-{n:05d}" for n in range(6)]
    items = seeded.items()
    for hit in report.backups:
        assert hit.current
        assert items[hit.record_key]["trellis_backup_key"]["S"] == hit.object_key


def test_trace_command_prints_json(seeded: Seeded) -> None:
    """`trellis trace ID [BLUEPRINT] --env dev --format json`: lines and backups; all pipelines."""
    _retrieve(seeded, [order(1)], "run-cli")
    seeded.process_all()
    result = CliRunner().invoke(
        cli,
        [
            "trace", "run-cli", "orders", "--env", "dev", "--repo", str(seeded.root),
            "--endpoint-url", seeded.aws.endpoint_url, "--since", "1h", "--format", "json",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert {line["function"] for line in document["lines"]} == {"retrieve", "process"}
    assert [hit["record_key"] for hit in document["backups"]] == ["A-00001"]
    everywhere = CliRunner().invoke(
        cli,
        ["trace", "run-cli", "--env", "dev", "--repo", str(seeded.root),
         "--endpoint-url", seeded.aws.endpoint_url, "--format", "json"],
    )  # fmt: skip
    assert everywhere.exit_code == 0, everywhere.output
    assert [d["blueprint"] for d in json.loads(everywhere.stdout)] == ["orders"]
