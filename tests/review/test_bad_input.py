"""Bad input: exit 2, a message naming the file and what is wrong, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import cli
from tests.review.conftest import BAD, CREATE

CASES = [
    ("state.json", "is a state file: it has no planned_values or resource_changes"),
    ("format-2.json", "format_version is '2.0', which this review does not read"),
    ("no-terraform-version.json", "terraform_version is missing"),
    ("truncated.json", "the file is truncated"),
    ("binary.tfplan", "is not UTF-8 text"),
    ("array.json", "is JSON but not an object"),
]


@pytest.mark.parametrize(("name", "message"), CASES)
def test_bad_plan_exits_2_with_a_clear_message(name: str, message: str) -> None:
    """Each kind of bad file is named with what is wrong, on stderr, exit 2."""
    result = CliRunner().invoke(cli, ["review", str(BAD / name), "--no-checkov"])
    assert result.exit_code == 2, result.output
    assert f"plans/bad/{name}:" in result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_missing_terraform_version_fails_even_with_checkov_on() -> None:
    """A plan without terraform_version stops the review before checkov could pass it."""
    result = CliRunner().invoke(cli, ["review", str(BAD / "no-terraform-version.json")])
    assert result.exit_code == 2
    assert "checkov scans a plan without terraform_version as nothing" in result.stderr


def test_bad_plan_in_json_format_prints_json_errors() -> None:
    """With --format json the diagnostics are JSON on stdout, still exit 2."""
    import json

    result = CliRunner().invoke(
        cli, ["review", str(BAD / "format-2.json"), "--format", "json", "--no-checkov"]
    )
    assert result.exit_code == 2
    errors = json.loads(result.stdout)["errors"]
    assert errors[0]["path"] == "format_version"
    assert errors[0]["value"] == "2.0"


def test_missing_file_is_a_user_error(tmp_path: Path) -> None:
    """A path that does not exist is exit 2, not a traceback."""
    result = CliRunner().invoke(cli, ["review", str(tmp_path / "nope.json"), "--no-checkov"])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_truncated_anywhere_is_reported_as_truncated(tmp_path: Path) -> None:
    """Cutting a plan at many points always gives exit 2 and never a traceback."""
    text = CREATE.read_text(encoding="utf-8")
    for cut in range(1, len(text) - 2, max(1, len(text) // 40)):
        path = tmp_path / "cut.json"
        path.write_text(text[:cut], encoding="utf-8")
        result = CliRunner().invoke(cli, ["review", str(path), "--no-checkov"])
        assert result.exit_code == 2, (cut, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_same_stack_twice_is_a_user_error(tmp_path: Path) -> None:
    """Two plans that name the same root stack are refused, naming both files."""
    other = tmp_path / "dev" / "orders" / "plan.json"
    other.parent.mkdir(parents=True)
    other.write_bytes((BAD.parent / "dev" / "orders" / "plan.json").read_bytes())
    result = CliRunner().invoke(
        cli,
        ["review", str(BAD.parent / "dev" / "orders" / "plan.json"), str(other), "--no-checkov"],
    )
    assert result.exit_code == 2
    assert "second plan for root stack dev/orders" in result.stderr
