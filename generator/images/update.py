"""Refresh the reviewed base table: resolve each row's tag to its current digest.

``trellis images bases --update`` (a maintainer's command, run where the network reaches
``public.ecr.aws``) asks the registry for the manifest each row's ``image`` (repository:tag)
names now, and rewrites that row's ``digest``, ``source`` and ``reviewed`` in place,
keeping every comment and the order of the rows. The diff is then reviewed and committed
like code.

Two registry clients are supported, whichever is on ``PATH`` first:

* ``skopeo inspect --raw docker://<image>`` prints the manifest exactly as the registry
  serves it; its digest is the SHA-256 of those bytes (what ``FROM ...@sha256:`` pins).
* ``docker buildx imagetools inspect <image> --format '{{json .Manifest}}'`` prints a
  descriptor whose ``digest`` is that same value.

What can go wrong: neither client installed, or the registry unreachable or refusing
(:class:`RegistryError`, with the client's own message); an answer without a digest; a
table the rewrite would make invalid (:class:`~generator.images.bases.BaseTableError`,
and nothing is written).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.images.bases import DIGEST_PATTERN, BaseImage, parse_bases

__all__ = [
    "RegistryError",
    "RowUpdate",
    "digest_of_manifest",
    "registry_resolver",
    "rewrite_table",
    "update_table",
]

Resolver = Callable[[str], str]
"""Given ``repository:tag``, the digest the registry serves for it now."""
_KEY_LINE = re.compile(r'^(?P<key>digest|source|reviewed)\s*=\s*"[^"]*"\s*$')


class RegistryError(RuntimeError):
    """The registry could not be asked (no client, no network, an error answer)."""


@dataclass(frozen=True)
class RowUpdate:
    """What the update did to one row."""

    runtime: str
    architecture: str
    image: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        """Whether the tag now points at another digest."""
        return self.before != self.after


def digest_of_manifest(raw: bytes) -> str:
    """The content digest of a manifest as the registry served it (``sha256:<hex>``)."""
    return f"sha256:{hashlib.sha256(raw).hexdigest()}"


def _run(command: Sequence[str]) -> bytes:
    done = subprocess.run(list(command), capture_output=True, check=False)
    if done.returncode != 0:
        raise RegistryError(
            f"`{' '.join(command)}` failed (exit {done.returncode}): "
            f"{done.stderr.decode(errors='replace').strip()}"
        )
    return done.stdout


def _skopeo(binary: str) -> Resolver:
    def resolve(image: str) -> str:
        return digest_of_manifest(_run([binary, "inspect", "--raw", f"docker://{image}"]))

    return resolve


def _buildx(binary: str) -> Resolver:
    def resolve(image: str) -> str:
        out = _run(
            [binary, "buildx", "imagetools", "inspect", image, "--format", "{{json .Manifest}}"]
        )
        try:
            digest = str(json.loads(out)["digest"])
        except (ValueError, KeyError, TypeError) as exc:
            raise RegistryError(f"docker buildx answered without a digest for {image}") from exc
        return digest

    return resolve


def registry_resolver() -> tuple[str, Resolver]:
    """The first registry client found on ``PATH``: its name and its resolver.

    Raises:
        RegistryError: neither skopeo nor docker is installed.
    """
    skopeo = shutil.which("skopeo")
    if skopeo:
        return "skopeo inspect --raw", _skopeo(skopeo)
    docker = shutil.which("docker")
    if docker:
        return "docker buildx imagetools inspect", _buildx(docker)
    raise RegistryError(
        "neither skopeo nor docker is on PATH: install skopeo (apt-get install skopeo) "
        "or Docker with buildx, where the network reaches public.ecr.aws"
    )


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, end) line indexes of each ``[[base]]`` block's body."""
    starts = [i for i, line in enumerate(lines) if line.strip() == "[[base]]"]
    ends = [*starts[1:], len(lines)]
    return [(start + 1, end) for start, end in zip(starts, ends, strict=True)]


def rewrite_table(text: str, updates: dict[tuple[str, str], tuple[str, str, str]]) -> str:
    """``text`` with ``digest``, ``source`` and ``reviewed`` of the rows in ``updates``
    (keyed by runtime × architecture) replaced; comments, order and other rows untouched.

    Raises:
        BaseTableError: the result is not a valid table (nothing should be written).
    """
    rows = parse_bases(text)
    lines = text.splitlines(keepends=True)
    for row, (first, end) in zip(rows, _blocks(lines), strict=True):
        update = updates.get((row.runtime, row.architecture))
        if update is None:
            continue
        values = dict(zip(("digest", "source", "reviewed"), update, strict=True))
        for index in range(first, end):
            match = _KEY_LINE.match(lines[index].rstrip("\n"))
            if match:
                key = match["key"]
                lines[index] = f"{key} = {json.dumps(values[key])}\n"
    result = "".join(lines)
    parse_bases(result)
    return result


def update_table(
    path: Path, resolve: Resolver, client: str, today: str
) -> tuple[list[RowUpdate], str]:
    """Resolve every row of the table at ``path`` and return the updates and the new text
    (the caller writes it). ``client`` and ``today`` go into each row's ``source`` and
    ``reviewed``.

    Raises:
        RegistryError: a row could not be resolved, or the answer is not a digest.
    """
    text = path.read_text(encoding="utf-8")
    rows: tuple[BaseImage, ...] = parse_bases(text, str(path))
    results: list[RowUpdate] = []
    updates: dict[tuple[str, str], tuple[str, str, str]] = {}
    for row in rows:
        digest = resolve(row.image)
        if not DIGEST_PATTERN.match(digest):
            raise RegistryError(f"{row.image}: the registry answered {digest!r}, not a digest")
        source = f"resolved from {row.image} with `{client}`"
        updates[(row.runtime, row.architecture)] = (digest, source, today)
        results.append(RowUpdate(row.runtime, row.architecture, row.image, row.digest, digest))
    return results, rewrite_table(text, updates)
