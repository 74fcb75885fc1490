"""package: image changes how a function is packaged, never what its execution role may do."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

import hcl2

from generator.derive import derive_stack_roles
from generator.pipeline import load_and_resolve
from tests.render.support import ingestion_blueprint, render_repo, write_repo


def _actions(document: dict[str, Any]) -> set[str]:
    actions: set[str] = set()
    for statement in document["Statement"]:
        action = statement.get("Action", [])
        actions |= {action} if isinstance(action, str) else set(action)
    return actions


def test_rendered_image_functions_roles_hold_no_ecr_action() -> None:
    """The orders example (package: image): its review files and its policy documents in HCL
    grant no ecr: action to either function, in every environment."""
    tree = render_repo().tree
    reviews = [p for p in tree if p.parts[1:3] == ("orders", "iam") and p.suffix == ".json"]
    assert len(reviews) == 6  # retrieve + process in dev, stg, prd
    for path in reviews:
        actions = _actions(json.loads(tree[path])["PolicyDocument"])
        assert actions and not {a for a in actions if a.lower().startswith("ecr:")}, path
    for env in ("dev", "stg", "prd"):
        hcl = hcl2.loads(tree[PurePosixPath(env, "orders", "iam.tf")].decode())
        text = json.dumps(hcl)
        assert "ecr:" not in text.lower(), env


def test_package_image_derives_the_same_execution_roles_as_zip(tmp_path: Path) -> None:
    """One pipeline as zip and as image: the derived execution roles are identical."""
    roles = {}
    for package in ("zip", "image"):
        root = write_repo(tmp_path / package, [ingestion_blueprint(package=package)])
        _, deployments = load_and_resolve(root)
        roles[package] = [
            (label, role.to_json())
            for d in deployments
            for label, role in derive_stack_roles(d).roles
        ]
    assert roles["zip"] == roles["image"]
    assert roles["zip"]
