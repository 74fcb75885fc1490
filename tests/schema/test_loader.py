"""The schema loader: committed package data, the TRELLIS_PROVIDER_SCHEMA override, caching."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.errors import UserError
from generator.schema.loader import ENV_VAR, load_provider_schema, schema_sha256

COMPACT = {
    "provider_version": "9.9.9",
    "resource_schemas": {
        "aws_thing": {
            "version": 0,
            "block": {"attributes": {"name": {"type": "string", "required": True}}},
        }
    },
    "data_source_schemas": {},
}
FULL = {
    "format_version": "1.0",
    "provider_schemas": {
        "registry.terraform.io/hashicorp/aws": {
            "provider": {"version": 0, "block": {}},
            "resource_schemas": {
                "aws_thing": {
                    "version": 0,
                    "block": {
                        "attributes": {
                            "name": {
                                "type": "string",
                                "required": True,
                                "description": "The name.",
                                "description_kind": "plain",
                            }
                        },
                        "description_kind": "plain",
                    },
                }
            },
            "data_source_schemas": {},
        }
    },
}


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts without the override and with empty caches, and leaves them empty."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    load_provider_schema.cache_clear()
    schema_sha256.cache_clear()
    yield
    load_provider_schema.cache_clear()
    schema_sha256.cache_clear()


def test_default_is_the_committed_compact_schema() -> None:
    """Without the override the packaged aws-provider.json.gz is loaded, in compact layout."""
    schema = load_provider_schema()
    assert schema["provider_version"] == "6.69.1"
    bucket = schema["resource_schemas"]["aws_s3_bucket"]["block"]
    assert bucket["attributes"]["bucket"]["type"] == "string"
    assert "aws_iam_policy_document" in schema["data_source_schemas"]


def test_result_is_cached() -> None:
    """Two calls return the very same object: the file is read once per process."""
    assert load_provider_schema() is load_provider_schema()


@pytest.mark.parametrize("gzipped", [False, True])
def test_override_with_compact_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gzipped: bool
) -> None:
    """TRELLIS_PROVIDER_SCHEMA may name a plain or gzipped compact schema."""
    payload = json.dumps(COMPACT).encode()
    path = tmp_path / ("schema.json.gz" if gzipped else "schema.json")
    path.write_bytes(gzip.compress(payload) if gzipped else payload)
    monkeypatch.setenv(ENV_VAR, str(path))
    assert load_provider_schema() == COMPACT


def test_override_with_full_terraform_layout_is_reduced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`terraform providers schema -json` output is reduced to the compact layout."""
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(FULL))
    monkeypatch.setenv(ENV_VAR, str(path))
    schema = load_provider_schema()
    assert schema["resource_schemas"] == COMPACT["resource_schemas"]
    assert schema["data_source_schemas"] == {}


def test_missing_override_is_a_user_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A path that does not exist is a user mistake naming the file and the variable."""
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "nope.json"))
    with pytest.raises(UserError) as caught:
        load_provider_schema()
    assert "nope.json" in str(caught.value)
    assert ENV_VAR in str(caught.value)


def test_unknown_layout_is_a_user_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """JSON that is no provider schema is rejected with a message, not a traceback."""
    path = tmp_path / "other.json"
    path.write_text('{"hello": "world"}')
    monkeypatch.setenv(ENV_VAR, str(path))
    with pytest.raises(UserError, match="unknown provider schema layout"):
        load_provider_schema()


def test_sha256_follows_the_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """schema_sha256 is a hex digest that changes when the schema changes."""
    default = schema_sha256()
    assert len(default) == 64
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(COMPACT))
    monkeypatch.setenv(ENV_VAR, str(path))
    load_provider_schema.cache_clear()
    schema_sha256.cache_clear()
    assert schema_sha256() != default
