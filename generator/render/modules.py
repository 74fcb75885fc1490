"""The static Terraform modules shipped as package data, copied to ``build/modules/``."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import PurePosixPath

from generator.render.tree import Tree


def _walk(node: Traversable, prefix: PurePosixPath, tree: Tree) -> None:
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.is_dir():
            _walk(child, prefix / child.name, tree)
        elif child.name.endswith(".tf"):
            tree[prefix / child.name] = child.read_bytes()


def module_files() -> Tree:
    """Every ``.tf`` file of every module, at ``modules/<module>/<file>``."""
    tree: Tree = {}
    _walk(resources.files("generator") / "modules", PurePosixPath("modules"), tree)
    return tree
