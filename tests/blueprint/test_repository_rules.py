"""Rules that span files: unique names, environment file names, references, overrides."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.errors import Diagnostic
from tests.blueprint.repo import edit, errors_of, example_repository, line_of


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A fresh copy of the example repository."""
    return example_repository(tmp_path)


def only(errors: list[Diagnostic]) -> Diagnostic:
    """The single diagnostic of ``errors``."""
    assert len(errors) == 1, "\n".join(d.render() for d in errors)
    return errors[0]


def test_the_examples_are_valid(repo: Path) -> None:
    """The example repository loads and resolves without a diagnostic."""
    assert errors_of(repo) == []


def test_duplicate_blueprint_name(repo: Path) -> None:
    """Two blueprints with one metadata.name: the later file is blamed, naming the first."""
    text = (repo / "blueprints/orders.yaml").read_text()
    (repo / "blueprints/orders-copy.yaml").write_text(text)
    error = only(errors_of(repo))
    assert error.file == "blueprints/orders.yaml"
    assert error.path == "metadata.name"
    assert (error.line, error.column) == (line_of(repo / "blueprints/orders.yaml", "name: "), 9)
    assert "'orders' is already used by blueprints/orders-copy.yaml" in error.message
    assert error.code == "repo.duplicate-name"


def test_environment_in_a_file_of_another_name(repo: Path) -> None:
    """environments/stg.yaml holding name: uat is an error pointing at name."""
    edit(repo / "environments/stg.yaml", "name: stg", "name: uat")
    error = only(errors_of(repo))
    assert error.location() == "environments/stg.yaml:2:7"
    assert error.path == "name"
    assert error.message == "environment 'uat' is in a file named 'stg.yaml'"
    assert error.hint == "rename the file to environments/uat.yaml or set name: stg"


def test_static_site_names_an_unknown_auth_flow(repo: Path) -> None:
    """A StaticSite's auth_flow must name an AuthFlow blueprint; a near miss is suggested."""
    edit(repo / "blueprints/portal.yaml", "auth_flow: citizen-login", "auth_flow: citizen-logon")
    error = only(errors_of(repo))
    line = line_of(repo / "blueprints/portal.yaml", "auth_flow:")
    assert error.location() == f"blueprints/portal.yaml:{line}:14"
    assert error.path == "spec.auth_flow"
    assert error.message == "no AuthFlow blueprint is named 'citizen-logon'"
    assert error.allowed == "citizen-login"
    assert error.hint == "did you mean 'citizen-login'?"


def test_static_site_names_a_blueprint_of_another_kind(repo: Path) -> None:
    """auth_flow naming an IngestionPipeline is refused: only AuthFlows are allowed."""
    edit(repo / "blueprints/portal.yaml", "auth_flow: citizen-login", "auth_flow: orders")
    error = only(errors_of(repo))
    assert error.path == "spec.auth_flow"
    assert "'orders'" in error.message
    assert error.allowed == "citizen-login"


def test_reference_to_a_broken_auth_flow_reports_only_its_own_errors(repo: Path) -> None:
    """When the AuthFlow itself is invalid, the StaticSite referring to it is not blamed."""
    edit(
        repo / "blueprints/citizen-login.yaml", "session_ttl_minutes: 15", "session_ttl_minutes: 0"
    )
    error = only(errors_of(repo))
    assert error.file == "blueprints/citizen-login.yaml"
    assert error.path == "spec.session_ttl_minutes"


def test_override_names_an_unknown_blueprint(repo: Path) -> None:
    """An override for a blueprint that does not exist names the environment file and key."""
    edit(repo / "environments/prd.yaml", "  events:\n", "  event:\n")
    error = only(errors_of(repo))
    line = line_of(repo / "environments/prd.yaml", "  event:")
    assert error.location() == f"environments/prd.yaml:{line}:3"
    assert error.path == "overrides.event"
    assert error.message == "override names blueprint 'event', which does not exist"
    assert error.hint == "did you mean 'events'?"
    names = sorted(path.stem for path in (repo / "blueprints").glob("*.yaml"))
    assert error.allowed == ", ".join(names)
    assert {"citizen-login", "events", "orders", "portal"} <= set(names)


def test_override_producing_an_invalid_value_points_at_the_environment(repo: Path) -> None:
    """An override value out of range is reported in the environment file, at the value."""
    edit(repo / "environments/prd.yaml", "memory_mb: 512", "memory_mb: 99999")
    error = only(errors_of(repo))
    line = line_of(repo / "environments/prd.yaml", "memory_mb: 99999")
    column = (repo / "environments/prd.yaml").read_text().splitlines()[line - 1].index("99999")
    assert error.location() == f"environments/prd.yaml:{line}:{column + 1}"
    assert error.path == "overrides.orders.processing.memory_mb"
    assert "99999 must be at most 10240" in error.message
    assert "after applying overrides.orders from environments/prd.yaml" in error.message


def test_override_with_an_unknown_field_points_at_the_environment(repo: Path) -> None:
    """A misspelled field in an override is an unknown key in the environment file."""
    edit(repo / "environments/prd.yaml", "memory_mb: 512", "memroy_mb: 512")
    error = only(errors_of(repo))
    assert error.file == "environments/prd.yaml"
    assert error.path == "overrides.orders.processing.memroy_mb"
    assert error.line == line_of(repo / "environments/prd.yaml", "memroy_mb")
    assert error.hint == "did you mean 'memory_mb'?"


def test_override_breaking_a_cross_field_rule_points_at_the_environment(repo: Path) -> None:
    """An override that raises the request timeout past the function's is blamed on the env."""
    edit(
        repo / "environments/prd.yaml",
        "  orders:\n",
        "  orders:\n    source: {http: {timeout_seconds: 600}}\n",
    )
    error = only(errors_of(repo))
    assert error.file == "environments/prd.yaml"
    assert error.path == "overrides.orders.source.http.timeout_seconds"
    assert error.line == line_of(repo / "environments/prd.yaml", "timeout_seconds: 600")
    assert "(600) must be below retrieval.timeout_seconds (300)" in error.message


def test_override_errors_are_reported_for_every_environment(repo: Path) -> None:
    """The same bad override in two environments gives one error in each file."""
    for env in ("dev", "prd"):
        edit(repo / f"environments/{env}.yaml", "  orders:\n", "  orders:\n    package: tarball\n")
    errors = errors_of(repo)
    assert [(e.file, e.path) for e in errors] == [
        ("environments/dev.yaml", "overrides.orders.package"),
        ("environments/prd.yaml", "overrides.orders.package"),
    ]


def test_unknown_env_option(repo: Path) -> None:
    """--env naming no environment file is an error with the choices and a near miss."""
    error = only(errors_of(repo, ("prod",)))
    assert error.message == "--env prod: no such environment"
    assert error.allowed == "dev, prd, stg"
    assert error.hint == "did you mean 'prd'?"


def test_env_option_limits_the_environments(repo: Path) -> None:
    """--env prd ignores a broken override in another environment."""
    edit(repo / "environments/dev.yaml", "concurrency: 4", "concurrency: 400")
    assert errors_of(repo, ("prd",)) == []
    assert [e.file for e in errors_of(repo, ("dev",))] == ["environments/dev.yaml"]


def test_every_error_in_every_file_in_one_run(repo: Path) -> None:
    """Mistakes in three blueprints and an environment are all reported together."""
    edit(repo / "blueprints/orders.yaml", "concurrency: 8", "concurrency: 80")
    edit(repo / "blueprints/events.yaml", "batch_size: 100", "batch_size: 0")
    (repo / "blueprints/portal.yaml").write_text("kind: [\n")
    edit(repo / "environments/stg.yaml", "level: INFO", "level: LOUD")
    errors = errors_of(repo)
    assert [(e.file, e.path) for e in errors] == [
        ("blueprints/events.yaml", "spec.processing.batch_size"),
        ("blueprints/orders.yaml", "spec.retrieval.concurrency"),
        ("blueprints/portal.yaml", ""),
        ("environments/stg.yaml", "log.level"),
    ]


def test_no_blueprints_and_no_environments(tmp_path: Path) -> None:
    """An empty directory says what is missing and how to start."""
    errors = errors_of(tmp_path)
    assert [e.code for e in errors] == ["repo.no-blueprints", "repo.no-environments"]
    assert "trellis init" in (errors[0].hint or "")


def test_yml_suffix_is_read(repo: Path) -> None:
    """Blueprints may end in .yml as well as .yaml."""
    (repo / "blueprints/events.yaml").rename(repo / "blueprints/events.yml")
    assert errors_of(repo) == []


def test_a_file_that_cannot_be_read(repo: Path) -> None:
    """A directory named like a blueprint is skipped; an unreadable file is reported."""
    (repo / "blueprints/extra.yaml").mkdir()
    assert errors_of(repo) == []


def test_unparseable_blueprint_does_not_make_its_overrides_unknown(repo: Path) -> None:
    """A blueprint with a YAML error reports that error only, not its overrides as unknown."""
    (repo / "blueprints/orders.yaml").write_bytes(b"spec:\n\tbroken: 1\n")
    assert [(e.file, e.code) for e in errors_of(repo)] == [("blueprints/orders.yaml", "yaml.tab")]


@pytest.mark.parametrize(
    ("make", "message", "hint"),
    [
        (
            lambda p: p.symlink_to(p.parent / "gone.yaml"),
            "is a symbolic link to ",
            "point the link at an existing file",
        ),
        (
            lambda p: p.symlink_to(p),
            "cannot read the file: Too many levels of symbolic links",
            "make it readable",
        ),
    ],
    ids=["dangling symlink", "symlink loop"],
)
def test_a_blueprint_that_cannot_be_read_is_an_error(
    repo: Path, make: Any, message: str, hint: str
) -> None:
    """A blueprint that is a dangling symlink or cannot be read is reported with its file
    name and a fix, never skipped."""
    path = repo / "blueprints/extra.yaml"
    make(path)
    error = only(errors_of(repo))
    assert error.file == "blueprints/extra.yaml"
    assert message in error.message
    assert error.hint is not None and hint in error.hint
    assert error.code == "io.read"
