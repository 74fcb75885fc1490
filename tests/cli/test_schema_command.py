"""`trellis schema`: JSON Schemas that accept the examples and refuse broken documents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from generator.blueprint.json_schema import blueprint_schema, environment_schema
from generator.cli.main import cli
from tests.blueprint.bases import AUTH_FLOW, ENVIRONMENT, INGESTION, STATIC_SITE
from tests.blueprint.cases import DELETE, patched
from tests.blueprint.repo import PROJECT, example_repository

BLUEPRINT = jsonschema.Draft202012Validator(blueprint_schema())
ENVIRONMENT_VALIDATOR = jsonschema.Draft202012Validator(environment_schema())


def messages(validator: jsonschema.Draft202012Validator, document: Any) -> list[str]:
    """Every schema error's path and message."""
    return sorted(
        f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    )


def test_schemas_are_valid_draft_2020_12() -> None:
    """Both schemas are themselves valid JSON Schema 2020-12 documents."""
    jsonschema.Draft202012Validator.check_schema(blueprint_schema())
    jsonschema.Draft202012Validator.check_schema(environment_schema())
    assert blueprint_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", sorted((PROJECT / "blueprints").glob("*.yaml")), ids=str)
def test_example_blueprints_validate(path: Path) -> None:
    """Every example blueprint is valid against the blueprint schema."""
    assert messages(BLUEPRINT, YAML(typ="safe").load(path)) == []


@pytest.mark.parametrize("path", sorted((PROJECT / "environments").glob("*.yaml")), ids=str)
def test_example_environments_validate(path: Path) -> None:
    """Every example environment is valid against the environment schema."""
    assert messages(ENVIRONMENT_VALIDATOR, YAML(typ="safe").load(path)) == []


@pytest.mark.parametrize(
    ("base", "patch", "expected"),
    [
        (INGESTION, {"kind": "Pipeline"}, "kind: 'Pipeline' is not one of"),
        (INGESTION, {"spec.retrieval.concurrency": 65}, "65 is greater than the maximum of 64"),
        (INGESTION, {"spec.retrieval.concurency": 8}, "'concurency' was unexpected"),
        (INGESTION, {"spec.shape": DELETE}, "'shape' is a required property"),
        (INGESTION, {"spec.trigger.schedule": "every hour"}, "'every hour' is not valid"),
        (INGESTION, {"spec.package": "tar"}, "'tar' is not one of ['zip', 'image']"),
        (AUTH_FLOW, {"spec.client_id_parameter": "no-slash"}, "does not match"),
        (AUTH_FLOW, {"spec.session_ttl_minutes": "15"}, "'15' is not of type 'integer'"),
        (STATIC_SITE, {"spec.price_class": "PriceClass_1"}, "is not one of"),
        (STATIC_SITE, {"metadata.name": "Portal"}, "does not match"),
        (STATIC_SITE, {"spec.retrieval": {}}, "'retrieval' was unexpected"),
        (STATIC_SITE, {"apiVersion": "trellis/v2"}, "'trellis/v1' was expected"),
        (INGESTION, {"metadata.tags": {"aws:x": "1"}}, "'aws:x' does not match"),
        (INGESTION, {"metadata.tags": {"owner": "v" * 257}}, "is too long"),
    ],
)
def test_invalid_blueprints_fail(
    base: dict[str, Any], patch: dict[str, Any], expected: str
) -> None:
    """A broken blueprint fails the schema with a message naming the problem."""
    found = messages(BLUEPRINT, patched(base, patch))
    assert any(expected in m for m in found), found


def test_kind_selects_the_spec() -> None:
    """An AuthFlow spec under kind: StaticSite is refused: kind chooses the spec model."""
    document = patched(STATIC_SITE, {"spec": AUTH_FLOW["spec"]})
    assert any("'provider'" in m and "unexpected" in m for m in messages(BLUEPRINT, document))


@pytest.mark.parametrize(
    ("patch", "expected"),
    [
        ({"account_id": 333333333333}, "is not of type 'string'"),
        ({"log.retention_days": 366}, "366 is not one of"),
        ({"region": "mars"}, "does not match"),
        ({"aproval": "none"}, "'aproval' was unexpected"),
        ({"namespace": "Acme"}, "'Acme' is not valid under any of the given schemas"),
        ({"tags": {"owner": "a!b"}}, "'a!b' does not match"),
        ({"tags": {f"k{i}": "v" for i in range(45)}}, "has too many properties"),
    ],
)
def test_invalid_environments_fail(patch: dict[str, Any], expected: str) -> None:
    """A broken environment fails the environment schema."""
    found = messages(ENVIRONMENT_VALIDATOR, patched(ENVIRONMENT, patch))
    assert any(expected in m for m in found), found


def test_default_writes_where_the_modeline_looks(tmp_path: Path) -> None:
    """Without --out, PATH/.trellis/schema/ gets both files: the examples' modeline target."""
    repo = example_repository(tmp_path)
    result = CliRunner().invoke(cli, ["schema", str(repo)])
    assert result.exit_code == 0, result.output
    modeline = (repo / "blueprints/orders.yaml").read_text().splitlines()[0]
    target = modeline.split("$schema=")[1]
    assert (repo / "blueprints" / target).resolve() == (
        repo / ".trellis/schema/blueprint.schema.json"
    ).resolve()
    schema = json.loads((repo / ".trellis/schema/blueprint.schema.json").read_text())
    assert schema == blueprint_schema()
    env_modeline = (repo / "environments/dev.yaml").read_text().splitlines()[0]
    assert (repo / "environments" / env_modeline.split("$schema=")[1]).is_file()


def test_output_is_byte_identical_run_to_run(tmp_path: Path) -> None:
    """Two runs write the same bytes: sorted keys, fixed indentation, final newline."""
    runner = CliRunner()
    runner.invoke(cli, ["schema", "--out", str(tmp_path / "a")])
    runner.invoke(cli, ["schema", "--out", str(tmp_path / "b")])
    for name in ("blueprint.schema.json", "environment.schema.json"):
        first = (tmp_path / "a" / name).read_bytes()
        assert first == (tmp_path / "b" / name).read_bytes()
        assert first.endswith(b"}\n")
        assert str(tmp_path).encode() not in first


def test_print_writes_to_stdout_only(tmp_path: Path) -> None:
    """--print environment prints that schema and writes nothing."""
    result = CliRunner().invoke(cli, ["schema", str(tmp_path), "--print", "environment"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == environment_schema()
    assert not (tmp_path / "build").exists()


def test_unwritable_directory_is_a_user_error(tmp_path: Path) -> None:
    """--out pointing below a regular file is exit 2 with a message, not a traceback."""
    (tmp_path / "file").write_text("x")
    result = CliRunner().invoke(cli, ["schema", "--out", str(tmp_path / "file" / "schema")])
    assert result.exit_code == 2
    assert "cannot write the schemas" in result.stderr


def test_out_that_is_a_file_is_refused(tmp_path: Path) -> None:
    """schema --out naming a regular file exits 2 and leaves the file as it was."""
    target = tmp_path / "notes.txt"
    target.write_text("keep me\n")
    result = CliRunner().invoke(cli, ["schema", "--out", str(target)])
    assert result.exit_code == 2
    assert target.read_text() == "keep me\n"
    assert "Traceback" not in result.output


def test_tags_and_namespace_are_in_the_schemas() -> None:
    """The new fields validate in the schemas editors use: tags on a blueprint and an
    environment, and a namespace."""
    blueprint = patched(INGESTION, {"metadata.tags": {"cost-center": "cc-42"}})
    assert messages(BLUEPRINT, blueprint) == []
    environment = patched(ENVIRONMENT, {"namespace": "acme", "tags": {"team": "platform"}})
    assert messages(ENVIRONMENT_VALIDATOR, environment) == []
