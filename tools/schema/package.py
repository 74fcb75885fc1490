"""Read the jsii assembly and the generated JavaScript out of a cdktn provider wheel.

The wheel (``cdktn_provider_aws-<v>-py3-none-any.whl``) carries the npm tarball of the
TypeScript package under ``cdktn_provider_aws/_jsii/*.jsii.tgz``; inside it, ``package/.jsii``
is the assembly (JSON, or a ``jsii/file-redirect`` to a gzipped copy) and
``package/lib/<module>/index.js`` (plus ``index-structs/*.js`` for very large types) is the
generated JavaScript. JS files are parsed as they stream out of the tarball, so only their
small parsed form stays in memory. Raises :class:`PackageError` when the layout differs.
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from tools.schema.js_classes import JsModule, parse_js

_PREFIX = "package/"
_ASSEMBLY = "package/.jsii"


class PackageError(ValueError):
    """The wheel or tarball is not laid out like a jsii provider package."""


@dataclass
class ProviderPackage:
    """The parts of a provider package the schema is built from."""

    assembly: dict[str, Any]
    modules: dict[str, JsModule]

    @property
    def types(self) -> dict[str, Any]:
        """The assembly's ``types`` map (fqn → type)."""
        types: dict[str, Any] = self.assembly["types"]
        return types


def _js_module_name(member: str) -> str | None:
    """``package/lib/s3-bucket/index-structs/structs0.js`` → ``s3-bucket``; others → None."""
    if not member.startswith("package/lib/") or not member.endswith(".js"):
        return None
    parts = member[len("package/lib/") :].split("/")
    if len(parts) < 2:
        return None
    return parts[0]


def _load_assembly(raw: bytes, members: dict[str, bytes]) -> dict[str, Any]:
    data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    assembly: dict[str, Any] = json.loads(data)
    if assembly.get("schema") == "jsii/file-redirect":
        target = _PREFIX + str(assembly["filename"])
        if target not in members:
            raise PackageError(f"assembly redirects to missing {target}")
        return _load_assembly(members[target], members)
    if "types" not in assembly:
        raise PackageError("package/.jsii has no types")
    return assembly


def read_tarball(fileobj: IO[bytes]) -> ProviderPackage:
    """Parse a jsii npm tarball (``.tgz``) streamed from ``fileobj``."""
    modules: dict[str, JsModule] = {}
    assembly_files: dict[str, bytes] = {}
    with tarfile.open(fileobj=fileobj, mode="r|gz") as tar:
        for member in tar:
            if not member.isfile():
                continue
            extracted = tar.extractfile(member)
            if extracted is None:
                continue
            module = _js_module_name(member.name)
            if module is not None:
                parsed = parse_js(extracted.read().decode("utf-8"))
                modules.setdefault(module, JsModule()).update(parsed)
            elif member.name.startswith(_ASSEMBLY):
                assembly_files[member.name] = extracted.read()
    if _ASSEMBLY not in assembly_files:
        raise PackageError("tarball has no package/.jsii")
    return ProviderPackage(_load_assembly(assembly_files[_ASSEMBLY], assembly_files), modules)


def _tarballs_in_wheel(wheel: zipfile.ZipFile) -> Iterator[str]:
    for name in wheel.namelist():
        if "/_jsii/" in name and name.endswith(".jsii.tgz"):
            yield name


def read_wheel(path: Path) -> ProviderPackage:
    """Parse the jsii tarball inside a cdktn provider wheel."""
    with zipfile.ZipFile(path) as wheel:
        names = list(_tarballs_in_wheel(wheel))
        if len(names) != 1:
            raise PackageError(f"{path.name}: expected one _jsii/*.jsii.tgz, found {names}")
        return read_tarball(io.BytesIO(wheel.read(names[0])))
