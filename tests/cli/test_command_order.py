"""validate → render → check → plan --offline → review → render → review, in any order:
no command deletes what another wrote, and build/ holds only what render writes."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import cli
from tests.blueprint.repo import example_repository

PLAN = ".trellis/plans/dev/orders/plan.json"
REVIEW = ".trellis/review.md"
SCHEMA = ".trellis/schema/blueprint.schema.json"


def run(*args: str) -> str:
    """Run one trellis command; it must succeed. Returns its output."""
    result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, (args, result.output)
    return result.output


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples trimmed to one blueprint in one environment, rendered once."""
    root = example_repository(tmp_path_factory.mktemp("order"))
    for path in (root / "blueprints").iterdir():
        if path.name != "orders.yaml":
            path.unlink()
    for path in (root / "environments").iterdir():
        if path.name != "dev.yaml":
            path.unlink()
    (root / "environments/dev.yaml").write_text(
        (root / "environments/dev.yaml").read_text().split("overrides:")[0]
    )
    run("render", str(root))
    return root


COMMANDS = {
    "validate": lambda r: run("validate", str(r)),
    "render": lambda r: run("render", str(r)),
    "render --env dev": lambda r: run("render", str(r), "--env", "dev"),
    "check": lambda r: run("check", str(r), "--only", "hcl_parse"),
    "plan": lambda r: run("plan", "--offline", str(r)),
    "review": lambda r: run(
        "review", str(r / PLAN), "--repo", str(r), "--no-checkov", "--output", str(r / REVIEW)
    ),
    "schema": lambda r: run("schema", str(r)),
}

ORDERS = [
    ("validate", "render", "check", "plan", "review", "render", "review"),
    ("plan", "check", "review", "render --env dev", "schema", "review", "check"),
    ("schema", "plan", "render", "review", "validate", "check", "render"),
]


@pytest.mark.parametrize("order", ORDERS, ids=[" → ".join(o) for o in ORDERS])
def test_commands_work_in_any_order(repo: Path, order: tuple[str, ...]) -> None:
    """Each sequence succeeds; the plan, the review and the schemas survive every render
    and check, and `render --check` stays clean with all of them present."""
    for name in (".trellis/plans", ".trellis/schema"):
        shutil.rmtree(repo / name, ignore_errors=True)
    (repo / REVIEW).unlink(missing_ok=True)
    written: set[str] = set()
    for step in order:
        COMMANDS[step](repo)
        written |= {"plan": {PLAN}, "review": {REVIEW}, "schema": {SCHEMA}}.get(step, set())
        for path in written:
            assert (repo / path).is_file(), f"{path} gone after {step}"
        assert not [p for p in (repo / "build").rglob("*") if p.name in ("plan.json", "review.md")]
        assert "no drift" in run("render", str(repo), "--check")


def test_every_pair_of_commands_keeps_the_others_output(repo: Path) -> None:
    """Every command after every other (the pairs cover what any longer order can do)."""
    run("plan", "--offline", str(repo))
    COMMANDS["review"](repo)
    run("schema", str(repo))
    for first, second in itertools.permutations(["render", "check", "validate", "schema"], 2):
        COMMANDS[first](repo)
        COMMANDS[second](repo)
        for path in (PLAN, REVIEW, SCHEMA):
            assert (repo / path).is_file(), f"{path} gone after {first} → {second}"
    COMMANDS["review"](repo)
