"""`trellis init`: commented skeletons that validate as written, never overwriting."""

from __future__ import annotations

import typing
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from pydantic import BaseModel
from ruamel.yaml import YAML

from generator.blueprint.json_schema import blueprint_schema, environment_schema
from generator.blueprint.kinds.envelope import SPEC_MODELS
from generator.blueprint.kinds.environment import Environment
from generator.blueprint.skeletons import KINDS, environment_skeleton, skeleton
from generator.cli.main import cli
from tests.blueprint.repo import example_repository

KIND_NAMES = {"IngestionPipeline": "new-pipeline", "AuthFlow": "new-login", "StaticSite": "site"}


def init(*args: str) -> tuple[int, str, str]:
    """Run `trellis init` with ``args``; return the exit code, stdout and stderr."""
    result = CliRunner().invoke(cli, ["init", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def field_names(model: type[BaseModel]) -> set[str]:
    """Every field name of ``model`` and of the models nested in it."""
    names: set[str] = set()
    for name, field in model.model_fields.items():
        names.add(name)
        stack = [field.annotation]
        while stack:
            annotation = stack.pop()
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                names |= field_names(annotation)
            stack.extend(typing.get_args(annotation))
    return names


def test_every_kind_validates_as_written(tmp_path: Path) -> None:
    """init of each kind into the example repository, then validate: exit 0."""
    repo = example_repository(tmp_path)
    for kind, name in KIND_NAMES.items():
        code, out, _ = init(kind, name, str(repo), "--team", "platform")
        assert code == 0
        assert out == f"wrote blueprints/{name}.yaml: edit it, then run trellis validate\n"
    result = CliRunner().invoke(cli, ["validate", str(repo)])
    assert result.exit_code == 0, result.output
    count = len(list((repo / "blueprints").glob("*.yaml")))  # the examples and the three
    assert result.stdout.startswith(f"{count} blueprints × 3 environments")


@pytest.mark.parametrize("kind", KINDS)
def test_skeleton_validates_against_the_schema(kind: str) -> None:
    """Each skeleton also passes the JSON Schema an editor uses."""
    document = YAML(typ="safe").load(skeleton(kind, "example", "team"))
    assert list(jsonschema.Draft202012Validator(blueprint_schema()).iter_errors(document)) == []


@pytest.mark.parametrize("kind", KINDS)
def test_skeleton_mentions_every_field(kind: str) -> None:
    """Every field of the kind's model is written out or shown in a comment."""
    text = skeleton(kind, "example", "team")
    missing = sorted(name for name in field_names(SPEC_MODELS[kind]) if f"{name}:" not in text)
    assert missing == []
    assert text.startswith(
        "# yaml-language-server: $schema=../.trellis/schema/blueprint.schema.json"
    )


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    """A second init of the same name exits 2 and leaves the file as it was."""
    assert init("StaticSite", "site", str(tmp_path))[0] == 0
    target = tmp_path / "blueprints/site.yaml"
    target.write_text("# my edits\n")
    code, out, err = init("AuthFlow", "site", str(tmp_path))
    assert code == 2
    assert out == ""
    assert "blueprints/site.yaml: already exists; trellis init never overwrites a file" in err
    assert target.read_text() == "# my edits\n"


def test_refuses_when_a_yml_file_has_the_name(tmp_path: Path) -> None:
    """An existing NAME.yml counts too: two files for one blueprint would clash."""
    (tmp_path / "blueprints").mkdir()
    (tmp_path / "blueprints/site.yml").write_text("x: 1\n")
    code, _, err = init("StaticSite", "site", str(tmp_path))
    assert code == 2
    assert "blueprints/site.yml: already exists" in err


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("Orders", "'orders'"),
        ("my_site", "'my-site'"),
        ("ab", "'my-name'"),
        ("1orders", "'orders'"),
    ],
)
def test_name_follows_the_name_rule(tmp_path: Path, name: str, hint: str) -> None:
    """NAME breaking the blueprint name rule: exit 2, the rule and a suggestion."""
    code, _, err = init("StaticSite", name, str(tmp_path))
    assert code == 2
    assert f"metadata.name {name!r} is not a valid name" in err
    assert f"fix: try {hint}" in err
    assert "Traceback" not in err
    assert not (tmp_path / "blueprints").exists()


def test_team_follows_the_name_rule(tmp_path: Path) -> None:
    """--team breaking the name rule is refused the same way."""
    code, _, err = init("StaticSite", "site", str(tmp_path), "--team", "Web Team")
    assert code == 2
    assert "metadata.team 'Web Team' is not a valid name" in err


def test_unknown_kind_lists_the_kinds(tmp_path: Path) -> None:
    """An unknown KIND exits 2 with the three kinds."""
    code, _, err = init("Pipeline", "x-y-z", str(tmp_path))
    assert code == 2
    assert "'IngestionPipeline', 'AuthFlow', 'StaticSite'" in err


def test_defaults_to_the_current_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without PATH the skeleton goes to ./blueprints/."""
    monkeypatch.chdir(tmp_path)
    assert init("AuthFlow", "login")[0] == 0
    assert "team: my-team" in (tmp_path / "blueprints/login.yaml").read_text()


def test_environment_skeleton_validates_with_a_blueprint(tmp_path: Path) -> None:
    """init environment + init a blueprint in an empty folder: a repository that validates,
    with .trellis/.gitignore written so plans and schemas stay out of git."""
    code, out, _ = init(
        "environment",
        "dev",
        str(tmp_path),
        "--account-id",
        "111111111111",
        "--repository",
        "acme/data",
    )
    assert (code, out) == (0, "wrote environments/dev.yaml: edit it, then run trellis validate\n")
    assert init("IngestionPipeline", "orders", str(tmp_path), "--team", "data")[0] == 0
    result = CliRunner().invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 blueprint × 1 environment (dev): all valid")
    text = (tmp_path / "environments/dev.yaml").read_text()
    assert 'account_id: "111111111111"' in text and "repository: acme/data" in text
    assert (tmp_path / ".trellis/.gitignore").read_text().splitlines()[-1] == "*"


def test_environment_skeleton_mentions_every_field_and_passes_the_schema() -> None:
    """Every Environment field is written out or commented; the document passes the schema."""
    text = environment_skeleton("stg", "222222222222", "eu-west-1", "acme/data")
    missing = sorted(name for name in field_names(Environment) if f"{name}:" not in text)
    assert missing == []
    assert text.startswith(
        "# yaml-language-server: $schema=../.trellis/schema/environment.schema.json"
    )
    document = YAML(typ="safe").load(text)
    assert list(jsonschema.Draft202012Validator(environment_schema()).iter_errors(document)) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("Dev",), "name 'Dev' is not a valid name"),
        (("xn--dev",), "starts with 'xn--', which S3 reserves"),
        (("dev", "--account-id", "1234"), "account_id '1234' is not a 12-digit AWS account id"),
        (("dev", "--region", "mars-1"), "region 'mars-1' is not an AWS region"),
        (("dev", "--repository", "acme"), "github.repository 'acme' is not a GitHub repository"),
    ],
)
def test_environment_options_follow_the_field_rules(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    """A bad NAME or option exits 2 naming the field; nothing is written."""
    code, _, err = init("environment", *args, str(tmp_path))
    assert code == 2
    assert message in err
    assert not (tmp_path / "environments").exists()


def test_environment_refuses_to_overwrite(tmp_path: Path) -> None:
    """An existing environments/NAME.yaml is never replaced."""
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments/dev.yaml").write_text("# mine\n")
    code, _, err = init("environment", "dev", str(tmp_path))
    assert code == 2
    assert "environments/dev.yaml: already exists" in err
    assert (tmp_path / "environments/dev.yaml").read_text() == "# mine\n"
