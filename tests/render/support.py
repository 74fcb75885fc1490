"""Rendering the example repository for tests, with a small fixed bundle.

The render stage takes the bundle as an input. Snapshot and parse-back tests use a real
:class:`~generator.bundle.Bundle` built from a few fixed bytes, so that a change to the
Lambda runtime (which changes the real bundle's hash) does not show up as a change to
every golden file; the real bundle is exercised end to end in ``test_render_repository``.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path, PurePosixPath

from generator.bundle import Bundle
from generator.bundle.archive import deterministic_zip
from generator.pipeline import load_and_resolve
from generator.policy.skips import builtin_skips
from generator.render.pipeline import RenderResult, render_deployments
from runtime.ingest.dedup_store import EXPIRES_AT

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT_DIR = ROOT / "tests" / "snapshots" / "render"


def fixed_bundle(content: bytes = b"trellis snapshot bundle") -> Bundle:
    """A bundle whose bytes never change: a deterministic zip of one file holding
    ``content`` (a zip, because image contexts unpack it)."""
    data = deterministic_zip({"runtime/snapshot-bundle.txt": content})
    digest = hashlib.sha256(data)
    return Bundle(
        filename=f"{digest.hexdigest()}.zip",
        data=data,
        sha256=digest.hexdigest(),
        base64_sha256=base64.b64encode(digest.digest()).decode(),
    )


def render_repo(root: Path = ROOT) -> RenderResult:
    """Render every blueprint × environment of ``root`` in memory."""
    _, deployments = load_and_resolve(root)
    return render_deployments(deployments, fixed_bundle(), EXPIRES_AT, builtin_skips())


def snapshot_files(result: RenderResult) -> dict[PurePosixPath, bytes]:
    """The text files of a render (the bundle zip is binary and tested elsewhere)."""
    return {path: data for path, data in result.tree.items() if path.parts[0] != "bundles"}


ENVIRONMENT = {
    "name": "dev",
    "account_id": "111111111111",
    "region": "ap-southeast-1",
    "github": {"repository": "acme/data-platform"},
}


def ingestion_blueprint(name: str = "orders", **spec_changes: object) -> dict[str, object]:
    """A valid IngestionPipeline document (as data), with top-level spec keys replaced."""
    spec: dict[str, object] = {
        "source": {
            "http": {"url": "https://api.example.com/v1/orders", "records_path": "data.items"}
        },
        "trigger": {"schedule": "rate(15 minutes)"},
        "shape": {"key": "order_id", "fields": {"order_id": "id", "status": "status"}},
    }
    spec.update(spec_changes)
    return {
        "apiVersion": "trellis/v1",
        "kind": "IngestionPipeline",
        "metadata": {"name": name, "team": "commerce"},
        "spec": spec,
    }


def write_repo(
    root: Path,
    blueprints: list[dict[str, object]],
    environments: list[dict[str, object]] | None = None,
) -> Path:
    """A repository on disk, each document dumped by ruamel.yaml (which quotes and escapes
    any text YAML cannot hold as written)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    (root / "blueprints").mkdir(parents=True)
    (root / "environments").mkdir()
    for document in blueprints:
        name = document["metadata"]["name"]  # type: ignore[index]
        with (root / "blueprints" / f"{name}.yaml").open("w", encoding="utf-8") as stream:
            yaml.dump(document, stream)
    for environment in environments or [ENVIRONMENT]:
        with (root / "environments" / f"{environment['name']}.yaml").open(
            "w", encoding="utf-8"
        ) as stream:
            yaml.dump(environment, stream)
    return root
