"""What the embedded Terraform needs to know of a stack, and its plugin files.

* :func:`scan_stack`: the AWS resource and data source types a root stack and the local
  modules it calls use (a quick scan of ``resource "..."`` / ``data "..."`` headers and
  local ``source`` paths), and every file those depend on, for selection and caching.
* :func:`write_plugin_files`: a session directory under the cache with the launcher
  ``terraform-provider-aws`` (execs this Python with ``-m generator.offline_provider``),
  the served schema selection, and a CLI configuration whose ``dev_overrides`` points
  ``hashicorp/aws`` at the launcher. The user's own ``~/.terraformrc`` is never read or
  written: Terraform is pointed at this file through ``TF_CLI_CONFIG_FILE``.

What can go wrong: a local module ``source`` that does not exist is skipped by the scan;
``terraform init`` then reports it with file and line.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

_HEADER = re.compile(
    r'^\s*(resource|data)\s+"?([A-Za-z0-9_-]+)"?\s+"?[A-Za-z0-9_-]+"?\s*\{', re.MULTILINE
)
_SOURCE = re.compile(r'^\s*source\s*=\s*"(\.{1,2}/[^"]*)"', re.MULTILINE)
BACKEND_OVERRIDE: Final = "zz_trellis_offline_backend_override.tf"


@dataclass(frozen=True)
class StackScan:
    """What one root stack uses: AWS types, and the module directories it reaches."""

    resources: frozenset[str]
    data_sources: frozenset[str]
    module_dirs: tuple[Path, ...]
    stack_dir: Path | None = None
    file_digests: tuple[tuple[Path, str], ...] = ()
    """Every ``.tf`` file of the stack, then of each module directory, with its sha256."""

    def content_hash(self, stack_dir: Path) -> str:
        """sha256 over the names and bytes of every ``.tf`` file of the stack and its modules.

        Other files (bundles, JSON read by ``file()``) are not part of the hash: a cached
        validation is redone when a ``.tf`` file changes, not when only a bundle does.
        """
        digest = hashlib.sha256()
        for file, file_digest in self.file_digests:
            digest.update(os.path.relpath(file, stack_dir).encode() + b"\0")
            digest.update(file_digest.encode() + b"\0")
        return digest.hexdigest()


@dataclass(frozen=True)
class _DirectoryScan:
    resources: frozenset[str]
    data_sources: frozenset[str]
    calls: tuple[Path, ...]
    file_digests: tuple[tuple[Path, str], ...]


class StackScanner:
    """Scans root stacks, reading each directory once however many stacks call it.

    The rendered tree's stacks share their modules: scanning 453 stacks one by one read
    the module files once per stack that calls them (19,398 reads for 2,780 files). Keep
    one scanner for one pass over a tree; it does not notice files changed after it read
    them.
    """

    def __init__(self) -> None:
        self._directories: dict[Path, _DirectoryScan] = {}

    def scan(self, stack_dir: Path) -> StackScan:
        """Scan ``stack_dir`` and, transitively, its local modules."""
        resources: set[str] = set()
        data_sources: set[str] = set()
        seen: list[Path] = []
        pending = [stack_dir.resolve()]
        while pending:
            directory = pending.pop()
            if directory in seen or not directory.is_dir():
                continue
            seen.append(directory)
            found = self._directory(directory)
            resources |= found.resources
            data_sources |= found.data_sources
            pending += found.calls
        module_dirs = tuple(sorted(seen[1:]))
        file_digests = tuple(
            entry
            for directory in (seen[0], *module_dirs)
            for entry in self._directories[directory].file_digests
        )
        return StackScan(
            frozenset(resources), frozenset(data_sources), module_dirs, seen[0], file_digests
        )

    def _directory(self, directory: Path) -> _DirectoryScan:
        known = self._directories.get(directory)
        if known is not None:
            return known
        resources: set[str] = set()
        data_sources: set[str] = set()
        calls: list[Path] = []
        digests: list[tuple[Path, str]] = []
        for file in sorted(directory.glob("*.tf")):
            data = file.read_bytes()
            digests.append((file, hashlib.sha256(data).hexdigest()))
            text = data.decode("utf-8", errors="replace")
            for kind, name in _HEADER.findall(text):
                if name.startswith("aws_"):
                    (resources if kind == "resource" else data_sources).add(name)
            calls += [(directory / rel).resolve() for rel in _SOURCE.findall(text)]
        scanned = _DirectoryScan(
            frozenset(resources), frozenset(data_sources), tuple(calls), tuple(digests)
        )
        self._directories[directory] = scanned
        return scanned


def scan_stack(stack_dir: Path) -> StackScan:
    """Scan ``stack_dir`` and, transitively, its local modules (see :class:`StackScanner`)."""
    return StackScanner().scan(stack_dir)


def directories(scans: Iterable[StackScan]) -> list[Path]:
    """Every stack and module directory the scans reached, each once, sorted."""
    found: set[Path] = set()
    for scan in scans:
        found.update(scan.module_dirs)
        if scan.stack_dir is not None:
            found.add(scan.stack_dir)
    return sorted(found)


def union(scans: Iterable[StackScan]) -> tuple[frozenset[str], frozenset[str]]:
    """All resource and data source types over several stacks."""
    resources: set[str] = set()
    data_sources: set[str] = set()
    for scan in scans:
        resources |= scan.resources
        data_sources |= scan.data_sources
    return frozenset(resources), frozenset(data_sources)


def write_plugin_files(session_dir: Path, selection_dir: Path) -> Path:
    """Write the launcher and the CLI configuration; returns the configuration's path."""
    plugin_dir = session_dir / "plugin"
    plugin_dir.mkdir(parents=True, exist_ok=True)
    launcher = plugin_dir / "terraform-provider-aws"
    package_root = Path(__file__).resolve().parents[2]
    launcher.write_text(
        "#!/bin/sh\n"
        "# Generated by trellis: the offline hashicorp/aws provider (plan only).\n"
        f"PYTHONPATH={shlex.quote(str(package_root))}${{PYTHONPATH:+:$PYTHONPATH}}\n"
        "export PYTHONPATH\n"
        f"exec {shlex.quote(sys.executable)} -m generator.offline_provider "
        f'--selection {shlex.quote(str(selection_dir))} "$@"\n'
    )
    launcher.chmod(0o755)
    config = session_dir / "terraform.rc"
    config.write_text(
        "# Generated by trellis for its embedded Terraform only.\n"
        "provider_installation {\n"
        "  dev_overrides {\n"
        f'    "hashicorp/aws" = "{plugin_dir}"\n'
        "  }\n"
        "  direct {}\n"
        "}\n"
    )
    return config


def backend_override(state_path: Path) -> str:
    """An override file replacing the stack's backend with a local state file."""
    return (
        "# Written by trellis for an offline plan: no remote state is touched.\n"
        "terraform {\n"
        '  backend "local" {\n'
        f'    path = "{state_path.as_posix()}"\n'
        "  }\n"
        "}\n"
    )
