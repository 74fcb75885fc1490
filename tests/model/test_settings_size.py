"""Resolve refuses settings that Lambda would refuse at apply time."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import UserError
from generator.pipeline import load_and_resolve
from tests.render.support import ingestion_blueprint, write_repo


def test_oversized_environment_is_a_user_error_naming_the_source(tmp_path: Path) -> None:
    """Headers that push the retrieval settings past 4 KB fail validation, not apply."""
    document = ingestion_blueprint(
        source={
            "http": {
                "url": "https://api.example.com/v1",
                "records_path": "items",
                "headers": {f"X-H{i}": "v" * 200 for i in range(25)},
            }
        }
    )
    with pytest.raises(UserError) as caught:
        load_and_resolve(write_repo(tmp_path, [document]))
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.file == "blueprints/orders.yaml"
    assert diagnostic.path == "spec.source.http"
    assert diagnostic.line is not None
    assert "retrieve function's settings take" in diagnostic.message
    assert "Lambda allows 4,096" in diagnostic.message
