"""The build context of a ``package: image`` blueprint: ``build/images/<blueprint>/``.

The context is the zip's content unpacked under ``app/`` (the same files, already
normalised by :mod:`generator.bundle`: the runtime package and its dependencies installed
for the function's platform, no caches, no volatile metadata) plus a ``Dockerfile`` that
copies them onto the reviewed base image. A function behaves the same from the image as
from the zip because it runs the very same files.

The Dockerfile is deliberately small:

* ``FROM --platform=<os/arch> <image>:<tag>@sha256:...`` from :mod:`generator.images.bases`;
  the only thing a build downloads.
* ``COPY app/ ${LAMBDA_TASK_ROOT}/``: no ``RUN``, so no build-time network and nothing
  that differs between builders.
* ``CMD ["<handler>"]``: the blueprint's main handler (the processing function); every
  function also sets ``image_config.command`` in Terraform, so the others override it.
* no ``USER``: Lambda runs every container image function as its own least-privileged
  Linux user, whatever the image declares, so a ``USER`` line would change nothing in
  Lambda (the lint documents this instead of asking for one).

What can go wrong: a bundle that is not a zip, or an entry with an unsafe name, raises
``ValueError`` (an internal error: the bundle builder never writes one).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from generator.images.bases import BaseImage

__all__ = [
    "APP_DIR",
    "DOCKERFILE",
    "IMAGES_DIR",
    "context_digest",
    "dockerfile",
    "image_context",
    "read_context",
]

IMAGES_DIR = PurePosixPath("images")
"""Where the contexts are written under ``build/``."""
APP_DIR = "app"
"""The context's folder holding the bundle's files (copied to ``${LAMBDA_TASK_ROOT}``)."""
DOCKERFILE = "Dockerfile"


def bundle_files(zipped: bytes) -> dict[str, bytes]:
    """The files of a bundle zip by archive name, in archive order (sorted)."""
    files: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        for info in archive.infolist():
            name = info.filename
            if info.is_dir():
                continue
            if name.startswith("/") or "\\" in name or ".." in name.split("/"):
                raise ValueError(f"unsafe bundle entry {name!r}")
            files[name] = archive.read(info)
    return files


def dockerfile(blueprint: str, base: BaseImage, handler: str) -> bytes:
    """The Dockerfile of ``blueprint``'s image: ``base`` by digest, the bundle, ``handler``."""
    lines = [
        f"# Lambda image of {blueprint}, rendered by trellis: edit the blueprint, not this file.",
        f"# Base: {base.image} for {base.architecture}, pinned by digest in trellis's reviewed",
        f"# table generator/images/bases.toml (reviewed {base.reviewed}).",
        "# app/ is the bundle the zip would carry, dependencies already installed for this",
        "# platform: the build downloads nothing but the base image. No USER: Lambda runs the",
        "# function as its own unprivileged sandbox user whatever the image declares.",
        "#checkov:skip=CKV_DOCKER_2:Lambda does not run HEALTHCHECK; it probes the runtime API",
        "#checkov:skip=CKV_DOCKER_3:Lambda runs images as an unprivileged sandbox user",
        "# --platform is deliberate: the function's architecture, whatever the builder's own.",
        "# hadolint ignore=DL3029",
        f"FROM --platform={base.platform} {base.pinned}",
        "COPY app/ ${LAMBDA_TASK_ROOT}/",
        f'CMD ["{handler}"]',
    ]
    return ("\n".join(lines) + "\n").encode()


def image_context(
    blueprint: str, bundle_zip: bytes, base: BaseImage, handler: str
) -> dict[PurePosixPath, bytes]:
    """``images/<blueprint>/``: the Dockerfile and ``app/`` (the bundle's files), by path
    under ``build/``. Deterministic: the same bundle, base and handler give the same bytes."""
    root = IMAGES_DIR / blueprint
    tree = {root / APP_DIR / name: data for name, data in bundle_files(bundle_zip).items()}
    tree[root / DOCKERFILE] = dockerfile(blueprint, base, handler)
    return dict(sorted(tree.items()))


def context_digest(files: Mapping[str, bytes]) -> str:
    """A ``sha256:`` digest of a context's files (names relative to the context's root)
    and contents: the offline plan's stand-in for the pushed image's digest. It is not the
    digest of any image, and the review labels it so."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return f"sha256:{digest.hexdigest()}"


def read_context(directory: Path) -> dict[str, bytes]:
    """The files of a context written under ``directory``, by name relative to it."""
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }
