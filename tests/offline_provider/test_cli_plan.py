"""`trellis plan`: offline plans of a rendered tree, plain messages otherwise."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from generator.cli.main import cli
from tests.offline_provider.conftest import write_tree


def test_plan_without_offline_says_online_plans_run_in_ci(tmp_path: Path) -> None:
    """Without --offline the command explains where online plans run and exits 2."""
    result = CliRunner().invoke(cli, ["plan", str(tmp_path)])
    assert result.exit_code == 2
    assert "Online plans" in result.output
    assert "run in CI" in result.output


def test_plan_without_build_asks_for_render(tmp_path: Path) -> None:
    """A repository that was not rendered gets exit 2 and the command to run."""
    result = CliRunner().invoke(cli, ["plan", "--offline", str(tmp_path)])
    assert result.exit_code == 2
    assert "trellis render" in result.output


def test_plan_with_unknown_env_lists_the_rendered_ones(tmp_path: Path) -> None:
    """--env naming a missing environment exits 2 and lists what exists."""
    write_tree(tmp_path / "build")
    result = CliRunner().invoke(cli, ["plan", "--offline", str(tmp_path), "--env", "qa"])
    assert result.exit_code == 2
    assert "dev, prd" in result.output


def test_offline_plan_writes_plan_json_outside_the_rendered_tree(tmp_path: Path) -> None:
    """--offline --env prd plans the prd stacks only and writes their plan.json under the
    git-ignored .trellis/plans/, never into build/."""
    write_tree(tmp_path / "build")
    result = CliRunner().invoke(cli, ["plan", "--offline", str(tmp_path), "--env", "prd"])
    assert result.exit_code == 0, result.output
    assert (
        "prd/orders: 8 to create, 2 outputs -> .trellis/plans/prd/orders/plan.json" in result.output
    )
    plan = json.loads((tmp_path / ".trellis/plans/prd/orders/plan.json").read_text())
    assert plan["format_version"]
    assert not (tmp_path / ".trellis/plans/dev/orders/plan.json").exists()
    assert not list((tmp_path / "build").rglob("plan.*"))
    assert (tmp_path / ".trellis/.gitignore").is_file()


def test_offline_plan_failure_names_file_and_line(tmp_path: Path) -> None:
    """A stack that does not plan is reported with file:line and exit code 1."""
    tree = write_tree(tmp_path / "build")
    main = tree / "prd/orders/main.tf"
    main.write_text(
        main.read_text().replace(
            "batch_size              = 10", "batch_size              = var.batch"
        )
    )
    result = CliRunner().invoke(cli, ["plan", "--offline", str(tmp_path), "--env", "prd"])
    assert result.exit_code == 1
    assert "prd/orders/main.tf:46: Reference to undeclared input variable" in result.output
