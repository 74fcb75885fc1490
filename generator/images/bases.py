"""The reviewed table of Lambda base images (``bases.toml``): one pinned digest per
runtime and architecture.

What can go wrong: the table is package data reviewed like code, so a malformed row (a
digest that is not ``sha256:`` + 64 hex digits, a duplicated runtime × architecture, a
missing field) is an internal error raised as :class:`BaseTableError` when the table is
read; asking for a runtime × architecture the table lacks is :class:`UnknownBaseError`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = [
    "BASES_FILE",
    "DIGEST_PATTERN",
    "BaseImage",
    "BaseTableError",
    "UnknownBaseError",
    "base_image",
    "load_bases",
    "parse_bases",
]

BASES_FILE = Path(__file__).with_name("bases.toml")
DIGEST_PATTERN = re.compile(r"^sha256:[0-9a-f]{64}$")
"""An OCI content digest as trellis pins and deploys it (the same regex guards var.image_digest)."""
PLATFORMS = {"arm64": "linux/arm64", "x86_64": "linux/amd64"}
"""Lambda's architecture names as OCI platforms (``FROM --platform=...``)."""
_FIELDS = ("runtime", "architecture", "image", "digest", "source", "reviewed")


class BaseTableError(ValueError):
    """``bases.toml`` is malformed (a bad digest, a duplicate row, a missing field)."""


class UnknownBaseError(LookupError):
    """No reviewed base image for the runtime × architecture asked for."""


@dataclass(frozen=True)
class BaseImage:
    """One row of the table: an image reference, its pinned digest and its provenance."""

    runtime: str
    architecture: str
    image: str
    digest: str
    source: str
    reviewed: str

    @property
    def repository(self) -> str:
        """``image`` without its tag (``public.ecr.aws/lambda/python``)."""
        return self.image.rsplit(":", 1)[0]

    @property
    def tag(self) -> str:
        """The tag the digest was resolved from (``3.13-arm64``)."""
        return self.image.rsplit(":", 1)[1]

    @property
    def pinned(self) -> str:
        """``repository:tag@digest``: what a Dockerfile's ``FROM`` names."""
        return f"{self.image}@{self.digest}"

    @property
    def platform(self) -> str:
        """The OCI platform of the architecture (``linux/arm64``)."""
        return PLATFORMS[self.architecture]


def parse_bases(text: str, origin: str = str(BASES_FILE)) -> tuple[BaseImage, ...]:
    """The rows of a ``bases.toml`` text, validated.

    Raises:
        BaseTableError: invalid TOML, a missing or extra field, a tag-less image, a
            digest not matching :data:`DIGEST_PATTERN`, an unknown architecture or a
            runtime × architecture listed twice.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BaseTableError(f"{origin}: {exc}") from exc
    rows: list[BaseImage] = []
    seen: set[tuple[str, str]] = set()
    for index, row in enumerate(data.get("base", [])):
        where = f"{origin}: base[{index}]"
        if sorted(row) != sorted(_FIELDS):
            raise BaseTableError(f"{where} has fields {sorted(row)}; expected {list(_FIELDS)}")
        base = BaseImage(**{name: str(row[name]) for name in _FIELDS})
        if not DIGEST_PATTERN.match(base.digest):
            raise BaseTableError(f"{where} digest {base.digest!r} is not sha256:<64 hex>")
        if base.architecture not in PLATFORMS:
            raise BaseTableError(
                f"{where} architecture {base.architecture!r} is not one of {sorted(PLATFORMS)}"
            )
        if ":" not in base.image.rsplit("/", 1)[-1] or "@" in base.image:
            raise BaseTableError(f"{where} image {base.image!r} must be repository:tag")
        key = (base.runtime, base.architecture)
        if key in seen:
            raise BaseTableError(f"{where} repeats {base.runtime} on {base.architecture}")
        seen.add(key)
        rows.append(base)
    return tuple(rows)


@cache
def load_bases(path: Path = BASES_FILE) -> tuple[BaseImage, ...]:
    """The reviewed table committed with trellis (read once per process)."""
    return parse_bases(path.read_text(encoding="utf-8"), str(path))


def base_image(runtime: str, architecture: str) -> BaseImage:
    """The reviewed base image for ``runtime`` (``python3.13``) on ``architecture``.

    Raises:
        UnknownBaseError: the table has no such row (add one with the update command).
    """
    for base in load_bases():
        if (base.runtime, base.architecture) == (runtime, architecture):
            return base
    raise UnknownBaseError(
        f"no reviewed base image for {runtime} on {architecture} in {BASES_FILE}; add a row "
        "and run `trellis images bases --update` to pin its digest"
    )
