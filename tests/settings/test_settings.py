"""trellis.yaml: validated like a blueprint, and it decides how the workflows install trellis;
environments' plan_on_pull_request decides which environments pull requests plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from generator.cli.main import cli
from generator.pipeline import workflow_installation
from tests.blueprint.repo import edit, example_repository

SHA = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A fresh copy of the example repository."""
    return example_repository(tmp_path)


def _validate(repo: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", str(repo)])
    return result.exit_code, result.stderr


def test_without_the_file_trellis_comes_from_pypi_at_the_rendering_version(repo: Path) -> None:
    """No trellis.yaml: pip installs trellis-iac==<this version>, default indexes."""
    from generator import __version__

    installation = workflow_installation(repo)
    assert installation.trellis == f"trellis-iac=={__version__}"
    assert installation.python_index_url is None and installation.npm_registry is None


@pytest.mark.parametrize(
    ("text", "requirement"),
    [
        ("ci:\n  trellis:\n    version: '0.2.0'\n", "trellis-iac==0.2.0"),
        (
            f"ci:\n  trellis:\n    git:\n      url: https://github.com/acme/trellis.git\n"
            f"      commit: {SHA}\n",
            f"trellis-iac @ git+https://github.com/acme/trellis.git@{SHA}",
        ),
    ],
)
def test_each_source_becomes_a_pip_requirement(repo: Path, text: str, requirement: str) -> None:
    """A version from PyPI, or a git URL pinned to a commit."""
    (repo / "trellis.yaml").write_text(text, encoding="utf-8")
    assert workflow_installation(repo).trellis == requirement


def test_a_committed_wheel_and_an_internal_index_reach_the_rendered_workflow(
    repo: Path,
) -> None:
    """wheel + python_index_url: the install step's environment in trellis-pr.yml."""
    (repo / "dist").mkdir()
    (repo / "dist" / "trellis_iac-0.1.0-py3-none-any.whl").write_bytes(b"PK")
    (repo / "trellis.yaml").write_text(
        "ci:\n  trellis:\n    wheel: dist/trellis_iac-0.1.0-py3-none-any.whl\n"
        "  python_index_url: https://pypi.internal.example/simple\n",
        encoding="utf-8",
    )
    from generator.pipeline import load_and_resolve
    from generator.render.pipeline import render_workflow_files

    _, deployments = load_and_resolve(repo)
    tree = render_workflow_files(deployments, set(), workflow_installation(repo))
    pr = YAML(typ="safe").load(
        next(v for k, v in tree.items() if k.name == "trellis-pr.yml").decode()
    )
    install = next(s for s in pr["jobs"]["check"]["steps"] if s.get("name") == "Install trellis")
    assert install["env"] == {
        "TRELLIS_REQUIREMENT": "./dist/trellis_iac-0.1.0-py3-none-any.whl",
        "PIP_INDEX_URL": "https://pypi.internal.example/simple",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "ci:\n  trellis:\n    vresion: '0.2.0'\n",
            "trellis.yaml:3:5: ci.trellis.vresion unknown field 'vresion'",
        ),
        (
            "ci:\n  trellis:\n    version: '0.2.0'\n    wheel: dist/x.whl\n",
            "ci.trellis.wheel gives version and wheel; CI installs trellis from one source",
        ),
        (
            "ci:\n  trellis:\n    git: {url: 'https://github.com/a/b.git', commit: main}\n",
            "ci.trellis.git.commit 'main' is not a full commit SHA",
        ),
        (
            "ci:\n  trellis:\n    wheel: dist/missing.whl\n",
            "trellis.yaml:3:12: ci.trellis.wheel 'dist/missing.whl' is not a file in the repo",
        ),
        (
            "ci:\n  python_index_url: https://user:secret@pypi.example/simple\n",
            "ci.python_index_url 'https://user:secret@pypi.example/simple' is not an https URL",
        ),
        ("ci:\n  trellis: {version: 0.2}\n", "ci.trellis.version"),
    ],
)
def test_bad_settings_are_positioned_errors(repo: Path, text: str, expected: str) -> None:
    """trellis validate reports trellis.yaml mistakes with file:line, field and exit 2."""
    (repo / "trellis.yaml").write_text(text, encoding="utf-8")
    code, err = _validate(repo)
    assert code == 2
    assert expected in err and "Traceback" not in err


def test_duplicate_keys_are_refused_like_in_blueprints(repo: Path) -> None:
    """The blueprints' strict YAML reader reads trellis.yaml too."""
    (repo / "trellis.yaml").write_text("ci: {}\nci: {}\n", encoding="utf-8")
    code, err = _validate(repo)
    assert code == 2 and "trellis.yaml:2:1" in err and "duplicate" in err


def test_approval_required_environments_are_not_planned_from_pull_requests_by_default(
    repo: Path,
) -> None:
    """stg (approval none) is planned on PRs; prd (approval required) only when it opts in."""
    from generator.pipeline import load_and_resolve

    _, deployments = load_and_resolve(repo)
    targets = {d.target.env: d.target.plan_on_pull_request for d in deployments}
    assert targets == {"dev": True, "stg": True, "prd": False}
    edit(repo / "environments/prd.yaml", "approval: required", "approval: required\n"
         "plan_on_pull_request: true")  # fmt: skip
    _, deployments = load_and_resolve(repo)
    assert {d.target.env: d.target.plan_on_pull_request for d in deployments}["prd"] is True


def test_plan_on_pull_request_must_be_a_boolean(repo: Path) -> None:
    """'yes' is a string in YAML 1.2: a positioned error naming the field."""
    edit(repo / "environments/prd.yaml", "approval: required", "approval: required\n"
         "plan_on_pull_request: yes")  # fmt: skip
    code, err = _validate(repo)
    assert code == 2 and "environments/prd.yaml:6:23: plan_on_pull_request 'yes' is a string" in err
