"""Plan shapes beyond the fixtures: pretty-printed, key order, empty, deposed, odd actions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import cli
from generator.errors import UserError
from generator.review import Action, render_json, render_markdown, review_plans, review_to_dict
from tests.review.conftest import DEV
from tests.review.planbuilder import Res, write_plan


def test_pretty_printed_and_key_sorted_plans_review_the_same(tmp_path: Path) -> None:
    """Whitespace and top-level key order (as `jq -S` leaves it) do not change the review."""
    document = json.loads(DEV.read_text(encoding="utf-8"))
    pretty = tmp_path / "a" / "dev" / "orders" / "plan.json"
    pretty.parent.mkdir(parents=True)
    pretty.write_text(json.dumps(document, indent=2, sort_keys=True), encoding="utf-8")
    compact = review_to_dict(review_plans([DEV], run_checkov=False))
    sorted_pretty = review_to_dict(review_plans([pretty], run_checkov=False))
    for document in (compact, sorted_pretty):
        document["stacks"][0]["plan_file"] = "plan.json"
    assert compact == sorted_pretty


def test_plan_without_changes(tmp_path: Path) -> None:
    """A plan with no resource_changes key (nothing to do) is clean with zero counts."""
    plan = write_plan(tmp_path / "p.json", [])
    document = json.loads(plan.read_text(encoding="utf-8"))
    del document["resource_changes"]
    plan.write_text(json.dumps(document), encoding="utf-8")
    review = review_plans([plan], run_checkov=False)
    assert review.exit_code == 0
    assert set(review.stacks[0].counts.values()) == {0}
    assert "### Counts" in render_markdown(review)


def test_deposed_object_delete_blocks_and_is_allowed_by_address(tmp_path: Path) -> None:
    """Deleting a deposed table object is destructive; its base address allows it."""
    plan = write_plan(
        tmp_path / "p.json",
        [
            Res("aws_dynamodb_table", "t", ["delete"], {"name": "t"}, None),
        ],
    )
    document = json.loads(plan.read_text(encoding="utf-8"))
    document["resource_changes"][0]["deposed"] = "a1b2c3d4"
    plan.write_text(json.dumps(document), encoding="utf-8")
    (blocking,) = review_plans([plan], run_checkov=False).blocking
    assert blocking.address == "aws_dynamodb_table.t (deposed object a1b2c3d4)"
    allowed = review_plans([plan], allow_destroy=["aws_dynamodb_table.t"], run_checkov=False)
    assert allowed.exit_code == 0


def test_forget_is_counted_and_not_destructive(tmp_path: Path) -> None:
    """A `removed` block with destroy = false ("forget") is counted, not blocking."""
    plan = write_plan(
        tmp_path / "p.json",
        [
            Res("aws_dynamodb_table", "t", ["forget"], {"name": "t"}, None),
        ],
    )
    review = review_plans([plan], run_checkov=False)
    assert review.stacks[0].counts[Action.FORGET] == 1
    assert review.exit_code == 0
    assert "| to forget |" in render_markdown(review)


def test_unknown_action_list_is_bad_input(tmp_path: Path) -> None:
    """An action list Terraform does not write is exit 2, naming the change."""
    plan = write_plan(
        tmp_path / "p.json",
        [
            Res("aws_sqs_queue", "q", ["update", "delete"], {"name": "q"}, {"name": "q"}),
        ],
    )
    with pytest.raises(UserError) as caught:
        review_plans([plan], run_checkov=False)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.path == "resource_changes[0]"
    assert "aws_sqs_queue.q has actions this review does not know" in diagnostic.message


def test_extra_data_after_the_plan_is_bad_input(tmp_path: Path) -> None:
    """Two documents concatenated in one file are refused, with line and column."""
    plan = write_plan(tmp_path / "p.json", [])
    plan.write_text(plan.read_text(encoding="utf-8") + "{}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["review", str(plan), "--no-checkov"])
    assert result.exit_code == 2
    assert "p.json:2:1: is not valid JSON: extra data after the end" in result.stderr


def test_tiny_cap_still_holds(tmp_path: Path) -> None:
    """Even a cap shorter than the closing note is never exceeded."""
    review = review_plans([DEV], run_checkov=False)
    for cap in (1, 50, 120):
        assert len(render_markdown(review, max_chars=cap)) <= cap
    assert render_json(review)
