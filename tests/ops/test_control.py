"""`trellis pause` / `resume` write the stop parameter the retrieval function reads."""

from __future__ import annotations

from click.testing import CliRunner

from generator.cli.main import cli
from generator.local.invoke import LocalFunction
from tests.ops.support import Seeded


def _cli(seeded: Seeded, *args: str) -> str:
    result = CliRunner().invoke(
        cli,
        [
            *args,
            "--env",
            "dev",
            "--repo",
            str(seeded.root),
            "--endpoint-url",
            seeded.aws.endpoint_url,
        ],
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_pause_halts_the_real_retrieval_and_resume_releases_it(seeded: Seeded) -> None:
    """After `trellis pause` the handler skips its run; after `trellis resume` it runs."""
    out = _cli(seeded, "pause", "orders")
    assert out == "dev/orders: /trellis/dev/orders/stop = paused (was never set (running))\n"
    retrieve = seeded.target.resources.retrieve
    assert retrieve is not None
    function = LocalFunction(
        retrieve,
        environment={**seeded.aws.environment(), "TRELLIS_QUEUE_URL": seeded.created.queue_url},
    )
    invocation = function.invoke({"correlation_id": "paused-run"})
    assert invocation.result["paused"] is True
    assert any("run skipped: the pipeline is paused" in line for line in invocation.lines)
    out = _cli(seeded, "resume", "orders")
    assert out.endswith("= running (was paused)\n")


def test_pause_of_a_queue_triggered_pipeline_is_a_user_error(seeded: Seeded) -> None:
    """`events` has no retrieval: exit 2 with the fix."""
    result = CliRunner().invoke(
        cli,
        ["pause", "events", "--env", "dev", "--repo", str(seeded.root),
         "--endpoint-url", seeded.aws.endpoint_url],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "nothing to pause" in result.stderr and "fix:" in result.stderr
