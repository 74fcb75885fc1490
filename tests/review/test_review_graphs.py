"""The review shows the data flow of each reviewed blueprint."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from generator.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "tests" / "review" / "plans" / "prd" / "orders" / "plan.json"


def test_markdown_includes_the_graph_of_the_reviewed_blueprint() -> None:
    """With --repo, prd/orders is drawn as Mermaid after the counts."""
    result = CliRunner().invoke(
        cli, ["review", str(PLAN), "--no-checkov", "--max-chars", "0", "--repo", str(ROOT)]
    )
    assert result.exit_code in (0, 1), result.output
    text = result.output
    assert "<summary>Data flow of prd/orders</summary>" in text
    assert "```mermaid\n---\ntitle: orders (IngestionPipeline) in prd" in text
    assert text.index("Data flow of the changed blueprints") > text.index("IAM")


def test_a_repository_that_does_not_load_is_bad_input(tmp_path: Path) -> None:
    """An explicit --repo without blueprints exits 2 with the loader's message."""
    result = CliRunner().invoke(cli, ["review", str(PLAN), "--no-checkov", "--repo", str(tmp_path)])
    assert result.exit_code == 2
    assert "no blueprints found" in result.output
