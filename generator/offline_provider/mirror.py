"""Scratch mirrors of root stacks made of symlinks, so Terraform never writes into ``build/``.

``terraform init`` writes ``.terraform`` and a lock file into the directory it runs in, and
an offline plan adds a backend override and a local state. So every command runs in a
mirror: a real directory whose entries are symlinks to the stack's files, inside real
directories for every level up to the common root of the stack and its modules, whose
other entries are symlinks too. Relative paths (module sources,
``${path.module}/../../bundles/x.zip``, even a sibling stack's file) resolve in the mirror
as they do in the rendered tree.

A :class:`MirrorTree` keeps those levels for every stack of a session. Laying them out
again for each stack cost time in proportion to the stacks beside it (the level
``build/<env>/`` holds one entry per stack), which made a check's ``terraform validate``
quadratic in the number of stacks: 64 symlinks per stack at 156 stacks, 163 at 453. A
tree lays out each level once; entering a stack turns that stack's symlink into a real
directory of links, and leaving removes the directory (with whatever Terraform wrote into
it) and puts the symlink back.

What can go wrong: ``OSError`` from the file system (a full disk, a scratch directory
removed underneath the tree); a tree is used by one thread at a time, as a session's
Terraform is.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from generator.offline_provider.workspace import StackScan

# What Terraform writes into the directory it runs in: never linked from the rendered tree.
_SKIP: Final = frozenset(
    {
        ".terraform",
        ".terraform.lock.hcl",
        "terraform.tfstate",
        "terraform.tfstate.backup",
        "plan.tfplan",
        "plan.json",
    }
)


@dataclass(frozen=True)
class Mirror:
    """A symlink mirror: ``stack`` mirrors the stack; ``scratch`` mirrors ``root``."""

    stack: Path
    scratch: Path
    root: Path

    def real_path(self, reported: str) -> Path:
        """The real file behind a path Terraform reported (relative to ``stack`` or absolute)."""
        path = Path(reported)
        if not path.is_absolute():
            path = Path(os.path.normpath(self.stack / path))
        if path.is_relative_to(self.scratch):
            path = self.root / path.relative_to(self.scratch)
        return Path(os.path.normpath(path))


class MirrorTree:
    """Mirrors of many stacks under one scratch directory, sharing the levels above them."""

    def __init__(self, scratch: Path) -> None:
        self._scratch = scratch.resolve()
        self._roots: dict[Path, Path] = {}
        self._laid_out: set[Path] = set()

    @contextmanager
    def stack(self, stack_dir: Path, scan: StackScan) -> Iterator[Mirror]:
        """The mirror of ``stack_dir``, fresh: nothing an earlier command wrote is in it."""
        stack = stack_dir.resolve()
        root = Path(os.path.commonpath([str(p) for p in (stack, *scan.module_dirs)]))
        scratch = self._roots.setdefault(root, self._scratch / f"root-{len(self._roots)}")
        source, target = root, scratch
        self._lay_out(source, target)
        for part in stack.relative_to(root).parts:
            source, target = source / part, target / part
            self._lay_out(source, target)
        try:
            yield Mirror(stack=target, scratch=scratch, root=root)
        finally:
            self._clear(source, target)

    def _lay_out(self, source: Path, target: Path) -> None:
        """Make ``target`` a real directory linking every entry of ``source`` (once)."""
        if target in self._laid_out:
            return
        if target.is_symlink():
            target.unlink()
        target.mkdir(parents=True, exist_ok=True)
        for entry in source.iterdir():
            if entry.name not in _SKIP:
                (target / entry.name).symlink_to(entry)
        self._laid_out.add(target)

    def _clear(self, source: Path, target: Path) -> None:
        """Remove the stack's directory, and what is laid out in it, and link it again."""
        shutil.rmtree(target)
        self._laid_out = {p for p in self._laid_out if not p.is_relative_to(target)}
        if target not in self._roots.values():
            target.symlink_to(source)
