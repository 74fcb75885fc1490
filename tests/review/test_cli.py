"""`trellis review` on the command line: formats, output file, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import cli
from tests.review.conftest import CREATE, DEV, PRD


def test_clean_plan_exits_0() -> None:
    """A plan with nothing blocking exits 0 and prints Markdown."""
    result = CliRunner().invoke(cli, ["review", str(CREATE), "--no-checkov"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("## trellis plan review")
    assert "**✅ Nothing blocks.**" in result.stdout


def test_blocking_plan_exits_1() -> None:
    """Deleting a table without --allow-destroy exits 1 and says why first."""
    result = CliRunner().invoke(cli, ["review", str(DEV), "--no-checkov"])
    assert result.exit_code == 1
    assert "**⛔ Blocked:** 3 destructive changes" in result.stdout


def test_allow_destroy_turns_exit_1_into_0() -> None:
    """Allowing every destruction that loses data by address makes the review pass."""
    result = CliRunner().invoke(
        cli,
        [
            "review",
            str(DEV),
            "--no-checkov",
            "--allow-destroy",
            "aws_dynamodb_table.orders",
            "--allow-destroy",
            "aws_s3_bucket.backup",
            "--allow-destroy",
            "aws_sqs_queue.dlq",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "allowed by `--allow-destroy`" in result.stdout


def test_json_format_to_a_file(tmp_path: Path) -> None:
    """--format json --output FILE writes the JSON review there and nothing on stdout."""
    out = tmp_path / "artifacts" / "review.json"
    result = CliRunner().invoke(
        cli,
        ["review", str(DEV), str(PRD), "--format", "json", "--output", str(out), "--no-checkov"],
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["checkov_ran"] is False
    assert [s["name"] for s in document["stacks"]] == ["dev/orders", "prd/orders"]


def test_max_chars_is_respected(tmp_path: Path) -> None:
    """--max-chars caps the Markdown; the complete review goes to the file it names."""
    out = tmp_path / "review.md"
    result = CliRunner().invoke(
        cli,
        [
            "review",
            str(DEV),
            str(PRD),
            str(CREATE),
            "--no-checkov",
            "--max-chars",
            "3000",
            "--artifact",
            "plan-review",
            "--output",
            str(out),
        ],
    )
    capped = out.read_text(encoding="utf-8")
    assert len(capped) <= 3000
    full = tmp_path / "review.full.md"
    assert f"the file `{full.as_posix()}` of the artifact `plan-review`" in capped
    complete = full.read_text(encoding="utf-8")
    assert "Cut to fit" not in complete
    assert "### Details" in complete
    assert result.exit_code == 1


def test_missing_checkov_is_a_user_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """With checkov on and TRELLIS_CHECKOV pointing nowhere, exit 2 with a fix."""
    monkeypatch.setenv("TRELLIS_CHECKOV", str(tmp_path / "no-checkov"))
    result = CliRunner().invoke(cli, ["review", str(CREATE)])
    assert result.exit_code == 2
    assert "--no-checkov" in result.stderr


def test_checkov_installed_nowhere_is_said_in_the_review_and_the_exit_code(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No checkov anywhere: the review is written, says it is incomplete, and exits 1."""
    monkeypatch.delenv("TRELLIS_CHECKOV", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.chdir(tmp_path)  # the repository: no .venv-checkov here or above
    out = tmp_path / "review.md"
    result = CliRunner().invoke(cli, ["review", str(CREATE), "--output", str(out)])
    assert result.exit_code == 1
    assert "run `trellis tools install checkov`" in result.stderr
    review = out.read_text(encoding="utf-8")
    assert "**checkov could not run: this review is incomplete**" in review
    assert "### checkov on the plan\n\n**Not run: this review is incomplete.**" in review
    as_json = CliRunner().invoke(cli, ["review", str(CREATE), "--format", "json"])
    document = json.loads(as_json.stdout)
    assert as_json.exit_code == 1 and document["exit_code"] == 1
    assert (
        document["checkov_ran"] is False and "trellis tools install" in document["checkov_missing"]
    )
