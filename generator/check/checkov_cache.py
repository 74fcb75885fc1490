"""Which root stacks checkov must scan, and their cached results.

A stack's digest covers every file of the stack directory, every file of every local
module it uses (``source = "../../modules/x"``, followed transitively), every policy file,
and checkov's version. A stack whose digest matches its cache entry is not rescanned; a
change to a shared module changes the digest of every stack that uses it.

checkov reports a resource inside a shared module only once when several stacks of one
scanned directory call that module, so the stacks to scan are laid out side by side in a
scan directory, each with its own hard-linked copy of the modules it uses
(``<scan>/<env>__<name>/<env>/<name>/`` and ``<scan>/<env>__<name>/modules/...``): relative
module sources resolve as in ``build/``, and every result names its stack by its path.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.check.atomic_json import write_json_atomically
from generator.check.context import StackRef
from generator.check.stacks import local_module_dirs

CACHE_VERSION = "checkov-cache-1"
SEPARATOR = "__"


def scan_key(stack: StackRef) -> str:
    """Directory name of a stack inside the scan directory: ``<env>__<name>``."""
    return f"{stack.env}{SEPARATOR}{stack.name}"


def _files_under(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file())


def policy_digest(policy_dirs: Iterable[Path], checkov_version: str) -> str:
    """One digest for every file of the policy directories and the checkov version."""
    digest = hashlib.sha256(f"{CACHE_VERSION}\0{checkov_version}".encode())
    for index, directory in enumerate(policy_dirs):
        for path in _files_under(directory):
            if "__pycache__" in path.parts:
                continue
            relative = path.relative_to(directory).as_posix()
            digest.update(f"\0{index}\0{relative}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class ScanInputs:
    """One run's memo of what checkov reads for each stack, and of each file's digest.

    A module directory that every stack uses is listed, read for its own module sources
    and hashed once per run, not once per stack, so preparing a scan stays linear in the
    stacks' own files.
    """

    def __init__(self, build_dir: Path) -> None:
        self.build = build_dir.resolve()
        self._directories: dict[StackRef, list[Path]] = {}
        self._stacks: dict[StackRef, list[Path]] = {}
        self._listings: dict[Path, list[Path]] = {}
        self._sources: dict[Path, list[Path]] = {}
        self._digests: dict[Path, str] = {}
        self._directory_digests: dict[Path, str] = {}

    def directories(self, stack: StackRef) -> list[Path]:
        """The stack's directory and every local module directory it uses, resolved."""
        if stack not in self._directories:
            own = stack.path.resolve()
            self._directories[stack] = [own, *local_module_dirs(stack.path, self._sources)]
        return self._directories[stack]

    def files(self, stack: StackRef) -> list[Path]:
        """Every file checkov reads for ``stack``: its own and its modules', resolved, sorted."""
        if stack not in self._stacks:
            files = [f for d in self.directories(stack) for f in self._listing(d)]
            self._stacks[stack] = sorted(set(files))
        return self._stacks[stack]

    def digest(self, path: Path) -> str:
        """The sha256 of one file's bytes (read once per run)."""
        if path not in self._digests:
            self._digests[path] = hashlib.sha256(path.read_bytes()).hexdigest()
        return self._digests[path]

    def directory_digest(self, directory: Path) -> str:
        """Digest of a directory's files, their build paths and contents (once per run)."""
        if directory not in self._directory_digests:
            digest = hashlib.sha256()
            for path in self._listing(directory):
                digest.update(f"\0{path.relative_to(self.build).as_posix()}\0".encode())
                digest.update(self.digest(path).encode())
            self._directory_digests[directory] = digest.hexdigest()
        return self._directory_digests[directory]

    def _listing(self, directory: Path) -> list[Path]:
        """The directory's files inside the build directory (a module outside it: none)."""
        if directory not in self._listings:
            files = (f.resolve() for f in _files_under(directory))
            self._listings[directory] = [f for f in files if f.is_relative_to(self.build)]
        return self._listings[directory]


def stack_digest(stack: StackRef, policies: str, inputs: ScanInputs) -> str:
    """Digest of everything that decides ``stack``'s checkov results.

    Built from one digest per directory (the stack's and each module's), so a module
    that every stack uses is hashed once per run.
    """
    digest = hashlib.sha256(policies.encode())
    for directory in inputs.directories(stack):
        digest.update(inputs.directory_digest(directory).encode())  # names its files' paths
    return digest.hexdigest()


class ResultCache:
    """Per-stack checkov results under ``<cache_dir>/checkov/<env>__<name>.json``."""

    def __init__(self, cache_dir: Path) -> None:
        self.directory = cache_dir / "checkov"

    def _path(self, stack: StackRef) -> Path:
        return self.directory / f"{scan_key(stack)}.json"

    def load(self, stack: StackRef, digest: str) -> dict[str, Any] | None:
        """The cached results of ``stack`` if they were computed for ``digest``."""
        try:
            entry = json.loads(self._path(stack).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("digest") != digest:
            return None
        results = entry.get("results")
        return results if isinstance(results, dict) else None

    def load_latest(self, stack: StackRef) -> dict[str, Any] | None:
        """The results last stored for ``stack``, whatever digest they were computed for."""
        try:
            entry = json.loads(self._path(stack).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        results = entry.get("results") if isinstance(entry, dict) else None
        return results if isinstance(results, dict) else None

    def store(self, stack: StackRef, digest: str, results: dict[str, Any]) -> None:
        """Write ``results`` for ``stack`` atomically."""
        write_json_atomically(self._path(stack), {"digest": digest, "results": results})


def lay_out_scan_dir(
    scan_dir: Path,
    stacks: Iterable[StackRef],
    build_dir: Path,
    inputs: ScanInputs | None = None,
) -> None:
    """Hard-link (or copy, across file systems) each stack and its modules under ``scan_dir``."""
    if scan_dir.exists():
        shutil.rmtree(scan_dir)
    listed = inputs or ScanInputs(build_dir)
    for stack in stacks:
        root = scan_dir / scan_key(stack)
        for source in listed.files(stack):
            target = root / source.relative_to(listed.build)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)
