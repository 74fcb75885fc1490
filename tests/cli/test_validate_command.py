"""`trellis validate` as a user runs it: summaries, every error, JSON, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import cli
from tests.blueprint.repo import edit, example_repository


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A fresh copy of the example repository."""
    return example_repository(tmp_path)


def run(*args: str) -> tuple[int, str, str]:
    """Invoke the CLI; return the exit code, stdout and stderr."""
    result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_examples_print_one_line_per_stack(repo: Path) -> None:
    """Valid input: exit 0, a headline and one summary per blueprint × environment."""
    code, out, _ = run("validate", str(repo))
    assert code == 0
    lines = out.splitlines()
    count = len(list((repo / "blueprints").glob("*.yaml")))
    assert lines[0] == f"{count} blueprints × 3 environments (dev, prd, stg): all valid"
    assert len(lines) == 1 + count * 3
    assert any(
        "prd/orders" in line and "trigger=schedule" and "queue=prd-orders-records" in line
        for line in lines
    )


def test_env_option_selects_environments(repo: Path) -> None:
    """--env prd --env stg validates only those two."""
    code, out, _ = run("validate", str(repo), "--env", "prd", "--env", "stg")
    assert code == 0
    assert out.splitlines()[0].endswith("(prd, stg): all valid")


def test_broken_input_exits_2_with_every_error_and_no_traceback(repo: Path) -> None:
    """Several broken files: exit 2, every error printed with file:line:column, no traceback."""
    edit(repo / "blueprints/orders.yaml", "concurrency: 8", "concurency: 8")
    edit(repo / "blueprints/portal.yaml", "PriceClass_100", "PriceClass_1OO")
    edit(repo / "environments/dev.yaml", "level: DEBUG", "level: debug")
    (repo / "blueprints/events.yaml").write_bytes(b"spec:\n\tx: 1\n")
    code, out, err = run("validate", str(repo))
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert "blueprints/events.yaml:2:1: tab character in indentation" in err
    assert "blueprints/orders.yaml:24:5: spec.retrieval.concurency unknown field" in err
    assert "fix: did you mean 'concurrency'?" in err
    assert "blueprints/portal.yaml:12:16: spec.price_class 'PriceClass_1OO' is not one of" in err
    assert "environments/dev.yaml:10:10: log.level 'debug' is not one of" in err
    assert "fix: did you mean 'DEBUG'?" in err
    assert err.rstrip().endswith("4 errors; nothing was written.")


def test_json_format_gives_records(repo: Path) -> None:
    """--format json prints every error as a record on stdout, exit 2."""
    edit(
        repo / "blueprints/orders.yaml",
        "memory_mb: 256\n    timeout_seconds: 300",
        "memory_mb: 64\n    timeout_seconds: 300",
    )
    code, out, _ = run("validate", str(repo), "--format", "json")
    assert code == 2
    records = json.loads(out)["errors"]
    assert records == [
        {
            "allowed": "at least 128",
            "code": "schema.greater_than_equal",
            "column": 16,
            "file": "blueprints/orders.yaml",
            "hint": "make it at least 128",
            "line": 25,
            "message": "64 must be at least 128",
            "path": "spec.retrieval.memory_mb",
            "value": "64",
        }
    ]


def test_json_format_on_valid_input_lists_the_stacks(repo: Path) -> None:
    """--format json on valid input: no errors and one record per stack, sorted."""
    code, out, _ = run("validate", str(repo), "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["errors"] == []
    stacks = [s["stack"] for s in document["stacks"]]
    assert stacks == sorted(stacks)
    assert len(stacks) == len(list((repo / "blueprints").glob("*.yaml"))) * 3


def test_unknown_env_is_a_user_error(repo: Path) -> None:
    """--env naming no environment: exit 2 with the choices and a near miss."""
    code, _, err = run("validate", str(repo), "--env", "prod")
    assert code == 2
    assert "--env prod: no such environment" in err
    assert "did you mean 'prd'?" in err


def test_path_that_is_not_a_directory(tmp_path: Path) -> None:
    """A PATH that does not exist is refused cleanly."""
    code, _, err = run("validate", str(tmp_path / "nowhere"))
    assert code == 2
    assert "Traceback" not in err


def test_version() -> None:
    """trellis --version prints the program name and version."""
    code, out, _ = run("--version")
    assert code == 0
    assert out.startswith("trellis, version ")


@pytest.mark.parametrize("command", sorted(cli.all_commands()))
def test_help_teaches_with_an_example(command: str) -> None:
    """Every registered command's --help has an Examples section with a real invocation."""
    code, out, _ = run(command, "--help")
    assert code == 0
    assert "Examples:" in out
    assert f"trellis {command}" in out.split("Examples:")[1]
