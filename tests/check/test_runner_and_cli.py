"""The validator registry and `trellis check` as a command."""

from __future__ import annotations

import importlib
import json
import pkgutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.check import runner
from generator.check.outcome import Status
from generator.check.runner import REGISTRY, ValidatorSpec, run_checks
from generator.cli.main import cli
from tests.check.conftest import context_for, copy_basic


def test_missing_validator_is_not_available_and_fails_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A registered validator whose module is absent is reported, not skipped or passed."""
    spec = ValidatorSpec("not_built_yet", "a validator on another branch")
    monkeypatch.setattr(runner, "REGISTRY", (*REGISTRY, spec))
    repo = copy_basic(tmp_path / "repo")
    report = run_checks(context_for(repo), only=["hcl_parse", "not_built_yet"])
    outcome = {v.name: v for v in report.validators}
    assert outcome["hcl_parse"].status is Status.PASSED
    assert outcome["not_built_yet"].status is Status.NOT_AVAILABLE
    assert "generator.check.not_built_yet" in outcome["not_built_yet"].detail
    assert report.exit_code == 1


def test_registry_names_every_validator_of_the_issue() -> None:
    """Every registered validator imports and has ``run``; every check module with ``run``
    is registered; the cheap ones report before the slow, external ones."""
    import generator.check

    for spec in REGISTRY:
        assert callable(importlib.import_module(spec.module).run), spec.module
    modules_with_run = {
        info.name
        for info in pkgutil.iter_modules(generator.check.__path__)
        if callable(getattr(importlib.import_module(f"generator.check.{info.name}"), "run", None))
    }
    names = runner.validator_names()
    assert sorted(names) == sorted(modules_with_run)
    assert len(names) == len(set(names)) == 9
    assert names.index("hcl_parse") == 0  # a tree that does not parse explains every later failure
    assert names.index("terraform_fmt") < names.index("terraform_validate")


def _invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["check", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_check_without_build_directory_exits_2(tmp_path: Path) -> None:
    """A repository that was never rendered is bad input: exit 2, no traceback."""
    code, _out, err = _invoke(str(tmp_path), "--no-render", "--only", "hcl_parse")
    assert code == 2
    assert "no rendered tree here" in err and "Traceback" not in err


def test_missing_checkov_names_the_three_ways(tmp_path: Path) -> None:
    """When checkov cannot be found the error names `trellis tools install`, --checkov,
    TRELLIS_CHECKOV and PATH (and not make: the fix must work for a wheel install)."""
    repo = copy_basic(tmp_path / "repo")
    env = {"TRELLIS_CHECKOV": "", "PATH": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    code, _out, err = _invoke(str(repo), "--no-render", env=env)
    assert code == 2
    assert "--checkov PATH" in err and "TRELLIS_CHECKOV=PATH" in err and "on PATH" in err
    assert "run `trellis tools install checkov`" in err and "make" not in err


def test_bad_checkov_path_is_named(tmp_path: Path) -> None:
    """--checkov pointing nowhere is reported with the path and a fix."""
    repo = copy_basic(tmp_path / "repo")
    code, _out, err = _invoke(str(repo), "--no-render", "--checkov", str(tmp_path / "nope"))
    assert code == 2
    assert "checkov not found at the path given by --checkov" in err


def test_unknown_validator_in_only_is_a_user_error(tmp_path: Path) -> None:
    """--only with a name that is not registered lists the registered ones."""
    repo = copy_basic(tmp_path / "repo")
    code, _out, err = _invoke(str(repo), "--no-render", "--only", "tflint")
    assert code == 2 and "hcl_parse, terraform_fmt" in err


def test_clean_tree_exits_0_and_writes_the_report_file(tmp_path: Path) -> None:
    """--output writes the chosen format to a file; a clean run exits 0."""
    repo = copy_basic(tmp_path / "repo")
    target = tmp_path / "out" / "check.sarif"
    code, out, err = _invoke(
        str(repo),
        "--no-render",
        "--only",
        "hcl_parse",
        "--only",
        "terraform_fmt",
        "--format",
        "sarif",
        "--output",
        str(target),
    )
    assert code == 0, out + err
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert out == ""


def test_findings_exit_1_with_the_table(tmp_path: Path) -> None:
    """An unformatted file makes the table name it and the command exit 1, without colour."""
    repo = copy_basic(tmp_path / "repo")
    outputs = repo / "build" / "dev" / "orders" / "outputs.tf"
    outputs.write_text(
        outputs.read_text(encoding="utf-8").replace("       =", " ="), encoding="utf-8"
    )
    code, out, _err = _invoke(str(repo), "--no-render", "--only", "terraform_fmt", "--env", "dev")
    assert code == 1
    assert "TRL_FMT  dev/orders/outputs.tf" in out
    assert "\x1b[" not in out


def test_unknown_env_is_a_user_error(tmp_path: Path) -> None:
    """--env with an environment the tree does not have exits 2."""
    repo = copy_basic(tmp_path / "repo")
    code, _out, err = _invoke(str(repo), "--no-render", "--only", "hcl_parse", "--env", "stg")
    assert code == 2 and "no stacks for environment 'stg'" in err


def test_relative_repository_path_works_from_inside_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`trellis check` with the default PATH (.) scans with checkov and exits 0 on the tree."""
    repo = copy_basic(tmp_path / "repo")
    monkeypatch.chdir(repo)
    code, out, err = _invoke("--no-render", "--only", "checkov", "--env", "prd")
    assert code == 0, out + err
    assert "Result: clean" in out


def test_checkov_processes_start_before_the_in_process_validators(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """checkov is the critical path: its processes start before python-hcl2 parsing takes
    the interpreter, so its preparation never waits for the GIL behind the parse."""
    from generator.check import checkov_groups, hcl_parse

    events: list[str] = []
    real_start, real_parse = checkov_groups.start_scan, hcl_parse.run

    def start_scan(*args: object, **kwargs: object) -> object:
        events.append("checkov started")
        return real_start(*args, **kwargs)  # type: ignore[arg-type]

    def parse(context: object) -> object:
        events.append("hcl_parse began")
        return real_parse(context)  # type: ignore[arg-type]

    monkeypatch.setattr(checkov_groups, "start_scan", start_scan)
    monkeypatch.setattr(hcl_parse, "run", parse)
    repo = copy_basic(tmp_path / "repo")
    report = run_checks(context_for(repo), only=["hcl_parse", "checkov"])
    assert events == ["checkov started", "hcl_parse began"]
    statuses = {v.name: v.status for v in report.validators}
    assert statuses["hcl_parse"] is Status.PASSED
    assert statuses["checkov"] in (Status.PASSED, Status.FAILED)
