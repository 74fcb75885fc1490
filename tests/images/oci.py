"""OCI image layouts written and read in Python, deterministically: the stand-in base and
the application layer a daemonless build must reproduce.

A layer is a tar whose entries are sorted, owned by 0:0 with no user or group names,
dated ``mtime`` (``SOURCE_DATE_EPOCH``; 0 by default), with modes normalised to 0644 for
files and 0755 for directories (an executable file keeps 0755), gzip-compressed with a
zero gzip timestamp. Config, manifest and index are JSON with sorted keys and no spaces,
so the same files always give the same layer, config and manifest digests.

:func:`assemble_image` is the Python equivalent of the rendered Dockerfile
(``FROM`` the base, ``COPY app/ ${LAMBDA_TASK_ROOT}/``, ``CMD``); it refuses any other
instruction, so it can never silently build something the Dockerfile does not say.

What can go wrong: a layout without the reference asked for, or a blob whose bytes do not
match its digest, raises :class:`LayoutError`; a Dockerfile with an instruction other
than FROM, COPY and CMD raises :class:`DockerfileError`.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shlex
import tarfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json"
CONFIG_TYPE = "application/vnd.oci.image.config.v1+json"
LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip"
REF_ANNOTATION = "org.opencontainers.image.ref.name"


class LayoutError(ValueError):
    """An OCI layout lacks a reference, or a blob does not match its digest."""


class DockerfileError(ValueError):
    """The Dockerfile holds an instruction the Python assembly does not reproduce."""


@dataclass(frozen=True)
class Entry:
    """A file of a layer: its bytes and its mode (permission bits only)."""

    data: bytes
    mode: int = 0o644


@dataclass(frozen=True)
class Image:
    """An image read back from a layout: its manifest and config, and every layer's bytes
    (uncompressed tar), with the digests that name them."""

    manifest_digest: str
    manifest: dict[str, Any]
    config_digest: str
    config: dict[str, Any]
    layers: tuple[tuple[str, bytes], ...]


def sha256(data: bytes) -> str:
    """``sha256:<hex>`` of ``data``: how OCI names a blob."""
    return f"sha256:{hashlib.sha256(data).hexdigest()}"


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no spaces: the same value always gives the same bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def tar_layer(files: Mapping[str, Entry], mtime: int = 0) -> bytes:
    """An uncompressed layer tar holding ``files`` (paths relative to ``/``) and every
    parent directory, sorted, 0:0, dated ``mtime``, modes normalised."""
    directories: set[str] = set()
    for name in files:
        parents = PurePosixPath(name).parents
        directories.update(str(p) for p in parents if str(p) != ".")
    entries = sorted([(d, None) for d in directories] + [(n, e) for n, e in files.items()])
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, entry in entries:
            info = tarfile.TarInfo(name if entry is not None else f"{name}/")
            info.mtime, info.uid, info.gid, info.uname, info.gname = mtime, 0, 0, "", ""
            if entry is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                archive.addfile(info)
            else:
                info.mode = 0o755 if entry.mode & 0o111 else 0o644
                info.size = len(entry.data)
                archive.addfile(info, io.BytesIO(entry.data))
    return buffer.getvalue()


def compress(layer: bytes) -> bytes:
    """gzip with a zero timestamp and no file name, so equal tars compress equally."""
    return gzip.compress(layer, compresslevel=9, mtime=0)


def _write_blob(layout: Path, data: bytes) -> str:
    digest = sha256(data)
    path = layout / "blobs" / "sha256" / digest.split(":", 1)[1]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return digest


def write_image(
    layout: Path, ref: str, config: Mapping[str, Any], compressed_layers: list[bytes]
) -> str:
    """Write an image into the OCI layout ``layout`` as ``ref``; return the manifest digest.

    ``config`` must already list the layers' ``diff_ids`` (digests of the uncompressed tars).
    """
    layout.mkdir(parents=True, exist_ok=True)
    (layout / "oci-layout").write_bytes(canonical_json({"imageLayoutVersion": "1.0.0"}))
    config_bytes = canonical_json(config)
    manifest = {
        "schemaVersion": 2,
        "mediaType": MANIFEST_TYPE,
        "config": {
            "mediaType": CONFIG_TYPE,
            "digest": _write_blob(layout, config_bytes),
            "size": len(config_bytes),
        },
        "layers": [
            {"mediaType": LAYER_TYPE, "digest": _write_blob(layout, blob), "size": len(blob)}
            for blob in compressed_layers
        ],
    }
    manifest_bytes = canonical_json(manifest)
    digest = _write_blob(layout, manifest_bytes)
    descriptor = {
        "mediaType": MANIFEST_TYPE,
        "digest": digest,
        "size": len(manifest_bytes),
        "annotations": {REF_ANNOTATION: ref},
    }
    (layout / "index.json").write_bytes(
        canonical_json({"schemaVersion": 2, "manifests": [descriptor]})
    )
    return digest


def _read_blob(layout: Path, digest: str) -> bytes:
    data = (layout / "blobs" / "sha256" / digest.split(":", 1)[1]).read_bytes()
    if sha256(data) != digest:
        raise LayoutError(f"{layout}: blob {digest} does not match its content")
    return data


def read_image(layout: Path, ref: str) -> Image:
    """The image ``ref`` of the layout ``layout``, its layers decompressed.

    Raises:
        LayoutError: no manifest is annotated ``ref``, or a blob is corrupt.
    """
    index = json.loads((layout / "index.json").read_bytes())
    for descriptor in index["manifests"]:
        if (descriptor.get("annotations") or {}).get(REF_ANNOTATION) == ref:
            break
    else:
        raise LayoutError(f"{layout} has no image {ref!r}")
    manifest_digest = descriptor["digest"]
    manifest = json.loads(_read_blob(layout, manifest_digest))
    config_digest = manifest["config"]["digest"]
    config = json.loads(_read_blob(layout, config_digest))
    layers = []
    for layer in manifest["layers"]:
        blob = _read_blob(layout, layer["digest"])
        tar = gzip.decompress(blob) if blob[:2] == b"\x1f\x8b" else blob
        layers.append((layer["digest"], tar))
    return Image(manifest_digest, manifest, config_digest, config, tuple(layers))


def layer_entries(tar: bytes) -> dict[str, tarfile.TarInfo]:
    """The entries of a layer tar by name (directories without their trailing slash)."""
    with tarfile.open(fileobj=io.BytesIO(tar), mode="r:") as archive:
        return {member.name.rstrip("/"): member for member in archive.getmembers()}


def layer_files(tar: bytes) -> dict[str, bytes]:
    """The regular files of a layer tar by name, with their bytes."""
    files: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(tar), mode="r:") as archive:
        for member in archive.getmembers():
            if member.isfile():
                handle = archive.extractfile(member)
                assert handle is not None
                files[member.name] = handle.read()
    return files


def _config(architecture: str, env: list[str], diff_ids: list[str], created: str) -> dict[str, Any]:
    return {
        "architecture": architecture,
        "os": "linux",
        "created": created,
        "config": {"Env": env, "WorkingDir": "/var/task"},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created": created, "created_by": "trellis test stand-in base"}],
    }


def _created(epoch: int) -> str:
    import datetime

    moment = datetime.datetime.fromtimestamp(epoch, tz=datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def make_stand_in_base(layout: Path, architecture: str = "arm64", ref: str = "base") -> str:
    """A tiny Lambda-shaped base image (never pulled): ``/var/runtime/bootstrap``,
    ``/lambda-entrypoint.sh``, an empty ``/var/task``, and the base's environment
    (``LAMBDA_TASK_ROOT=/var/task``). Returns its manifest digest."""
    files = {
        "lambda-entrypoint.sh": Entry(b'#!/bin/sh\nexec /var/runtime/bootstrap "$@"\n', 0o755),
        "var/runtime/bootstrap": Entry(b"#!/bin/sh\necho stand-in Lambda runtime\n", 0o755),
        "var/task/.keep": Entry(b""),
    }
    tar = tar_layer(files)
    config = _config(
        architecture,
        ["PATH=/usr/local/bin:/usr/bin:/bin", "LAMBDA_TASK_ROOT=/var/task",
         "LAMBDA_RUNTIME_DIR=/var/runtime"],
        [sha256(tar)],
        _created(0),
    )  # fmt: skip
    config["config"]["Entrypoint"] = ["/lambda-entrypoint.sh"]
    return write_image(layout, ref, config, [compress(tar)])


def _instructions(dockerfile: str) -> list[tuple[str, str]]:
    lines = [line.strip() for line in dockerfile.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def _expand(text: str, env: Mapping[str, str]) -> str:
    for key, value in env.items():
        text = text.replace(f"${{{key}}}", value).replace(f"${key}", value)
    return text


def assemble_image(
    context: Path, base_layout: Path, base_ref: str, out_layout: Path, ref: str, mtime: int = 0
) -> str:
    """Build ``context``'s Dockerfile onto the base in Python: one layer per ``COPY``
    (files from the context, modes normalised, dated ``mtime``), ``CMD`` into the config,
    the base's layers reused byte for byte. Returns the manifest digest.

    Raises:
        DockerfileError: an instruction other than FROM, COPY <dir>/ <dest>/ and CMD.
    """
    base = read_image(base_layout, base_ref)
    config = json.loads(canonical_json(base.config))
    env = dict(item.split("=", 1) for item in config["config"].get("Env", []))
    created = _created(mtime)
    compressed = [_read_blob(base_layout, layer["digest"]) for layer in base.manifest["layers"]]
    for instruction, argument in _instructions((context / "Dockerfile").read_text("utf-8")):
        if instruction == "FROM":
            continue  # the stand-in base replaces the pinned image, as buildah's --from does
        if instruction == "COPY":
            words = shlex.split(argument)
            if len(words) != 2 or words[0].startswith("--") or not words[0].endswith("/"):
                raise DockerfileError(f"COPY {argument!r}: only COPY <dir>/ <dest>/ is assembled")
            source = context / words[0]
            dest = _expand(words[1], env).strip("/")
            files = {
                f"{dest}/{path.relative_to(source).as_posix()}": Entry(
                    path.read_bytes(), path.stat().st_mode & 0o777
                )
                for path in sorted(source.rglob("*"))
                if path.is_file()
            }
            tar = tar_layer(files, mtime)
            config["rootfs"]["diff_ids"].append(sha256(tar))
            compressed.append(compress(tar))
            config["history"].append({"created": created, "created_by": f"COPY {argument}"})
        elif instruction == "CMD":
            config["config"]["Cmd"] = json.loads(argument)
            config["history"].append(
                {"created": created, "created_by": f"CMD {argument}", "empty_layer": True}
            )
        else:
            raise DockerfileError(f"{instruction} is not assembled: only FROM, COPY and CMD")
    config["created"] = created
    return write_image(out_layout, ref, config, compressed)
