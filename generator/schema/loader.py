"""Load the AWS provider schema in the compact layout of :mod:`generator.schema`.

A minimal loader: the file named by ``TRELLIS_PROVIDER_SCHEMA`` (gzip or plain JSON), or,
when that is unset, the 6.47.0 schema in a ``shared/data`` folder beside the repository
(or beside one of the folders that contain it, or the working directory).
Three layouts are accepted and returned as the compact one: the compact layout itself,
the full ``terraform providers schema -json`` document (the ``hashicorp/aws`` entry of
``provider_schemas``) and the ``{"resource": ..., "data": ..., "ephemeral": ...}`` layout
of the shared data file.

What can go wrong: :class:`generator.errors.UserError` when no schema file is found, it
is not JSON, or it has none of the three layouts.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
from pathlib import Path
from typing import Any

from generator.errors import UserError

ENV_VAR = "TRELLIS_PROVIDER_SCHEMA"
PROVIDER_ADDRESS = "registry.terraform.io/hashicorp/aws"
_SHARED_NAME = "aws-provider-schema-6.47.0.json.gz"


def load_provider_schema() -> dict[str, Any]:
    """The compact AWS provider schema (see :mod:`generator.schema` for the layout)."""
    return _load(str(_schema_path()))


def _schema_path() -> Path:
    configured = os.environ.get(ENV_VAR)
    if configured:
        return Path(configured)
    found = find_shared_schema(Path(__file__).resolve().parents[2]) or find_shared_schema(
        Path.cwd()
    )
    if found is not None:
        return found
    raise UserError.single(
        ENV_VAR,
        "no AWS provider schema found",
        hint=f"set {ENV_VAR} to the provider schema JSON (plain or .gz)",
        code="missing",
    )


def find_shared_schema(start: Path) -> Path | None:
    """``shared/data/<schema>`` beside ``start`` or beside any folder above it."""
    for base in (start, *start.parents):
        candidate = base.parent / "shared" / "data" / _SHARED_NAME
        if candidate.is_file():
            return candidate
    return None


@functools.lru_cache(maxsize=4)
def _load(path: str) -> dict[str, Any]:
    file = Path(path)
    try:
        raw = file.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        document = json.loads(raw)
    except (OSError, ValueError) as err:
        raise UserError.single(
            path, f"cannot read the provider schema: {err}", hint=f"check {ENV_VAR}"
        ) from err
    return _to_compact(document, path)


def _to_compact(document: Any, path: str) -> dict[str, Any]:
    if isinstance(document, dict) and "provider_schemas" in document:
        schemas = document["provider_schemas"]
        entry = schemas.get(PROVIDER_ADDRESS) or next(iter(schemas.values()), None)
        document = entry
    if isinstance(document, dict) and "resource_schemas" in document:
        return {
            "provider_version": str(document.get("provider_version", "")),
            "resource_schemas": document["resource_schemas"],
            "data_source_schemas": document.get("data_source_schemas", {}),
            **({"provider": document["provider"]} if "provider" in document else {}),
        }
    if isinstance(document, dict) and "resource" in document and "data" in document:
        version = Path(path).name.removeprefix("aws-provider-schema-").split(".json")[0]
        return {
            "provider_version": version if version[:1].isdigit() else "",
            "resource_schemas": document["resource"],
            "data_source_schemas": document["data"],
        }
    raise UserError.single(
        path,
        "not an AWS provider schema: expected resource_schemas, provider_schemas or "
        "resource/data keys",
        hint=f"point {ENV_VAR} at the output of `terraform providers schema -json`",
    )
