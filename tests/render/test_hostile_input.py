"""Hostile text in every free-text field reaches the HCL as exactly that text, nothing more."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import hcl2
from hcl2.utils import SerializationOptions

from generator.pipeline import load_and_resolve
from generator.policy.skips import builtin_skips
from generator.render.pipeline import render_deployments
from runtime.ingest.dedup_store import EXPIRES_AT
from tests.helpers.terraform import evaluate_literals
from tests.render.support import fixed_bundle, ingestion_blueprint, write_repo

HOSTILE = 'x" } resource "aws_s3_bucket" "evil" { bucket = "${var.p}%{ if 1 }*/\\\n東🚀'
_VALUES = SerializationOptions(strip_string_quotes=True, with_comments=False, explicit_blocks=False)


def _render(tmp_path: Path) -> dict[str, str]:
    document = ingestion_blueprint(
        source={
            "http": {
                "url": 'https://api.example.com/v1/orders?q=%7B%24%7Bx%7D&a="b"',
                "records_path": "data.items",
                "headers": {"X-Note": HOSTILE, "Accept": "application/json"},
            }
        },
        shape={"key": "order id ${x}", "fields": {"order id ${x}": "id", "st": "status"}},
    )
    document["metadata"]["description"] = HOSTILE  # type: ignore[index]
    _, deployments = load_and_resolve(write_repo(tmp_path / "repo", [document]))
    tree = render_deployments(deployments, fixed_bundle(), EXPIRES_AT, builtin_skips()).tree
    return {str(p): d.decode() for p, d in tree.items() if str(p).startswith("dev/orders/")}


def _blocks(text: str) -> dict[str, Any]:
    return hcl2.loads(text, serialization_options=_VALUES)


def test_hostile_text_adds_no_block_resource_or_attribute(tmp_path: Path) -> None:
    """main.tf holds only trellis's own blocks and the modules' usual arguments."""
    main = _blocks(_render(tmp_path)["dev/orders/main.tf"])
    assert set(main) == {"locals", "module", "resource"}
    assert [list(r) for r in main["resource"]] == [["aws_lambda_event_source_mapping"]]
    modules = {name for block in main["module"] for name in block}
    assert modules == {
        "alarms",
        "backup",
        "failures",
        "kms",
        "process",
        "queue",
        "retrieve",
        "schedule",
        "table",
    }
    retrieve = next(b["retrieve"] for b in main["module"] if "retrieve" in b)
    assert "environment_variables" in retrieve
    assert not any("evil" in key for key in retrieve)


def test_hostile_text_evaluates_to_exactly_the_input(tmp_path: Path) -> None:
    """Terraform itself reads the description, headers, URL and shape key back unchanged."""
    # python-hcl2 by default returns each literal as written; Terraform evaluates it.
    main = hcl2.loads(_render(tmp_path)["dev/orders/main.tf"])
    modules = {name.strip('"'): body for block in main["module"] for name, body in block.items()}
    values = evaluate_literals(
        tmp_path / "eval",
        {
            "description": modules["kms"]["description"],
            "hash_key": modules["table"]["hash_key"],
            "source": modules["retrieve"]["environment_variables"]["TRELLIS_SOURCE"],
            "shape": modules["process"]["environment_variables"]["TRELLIS_SHAPE"],
        },
    )
    assert values["description"].endswith(f"in dev: {HOSTILE}")
    assert values["hash_key"] == "order id ${x}"
    source = json.loads(values["source"])
    assert source["headers"]["X-Note"] == HOSTILE
    assert source["url"] == 'https://api.example.com/v1/orders?q=%7B%24%7Bx%7D&a="b"'
    assert json.loads(values["shape"])["key"] == "order id ${x}"
