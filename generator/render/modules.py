"""The static Terraform modules shipped as package data, copied to ``build/modules/``.

On the way, each block named in the reviewed skips table (``policies/skips.yaml``) gets
its ``#checkov:skip=ID:reason`` comment as the first line of its body, so the reason for
every skipped check travels with the code checkov reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import PurePosixPath

from generator.policy.skips import Skip
from generator.render.tree import Tree

_HEADER = re.compile(r'^(resource|data) "([a-z0-9_]+)" "([a-z0-9_]+)" \{$')


def _walk(node: Traversable, prefix: PurePosixPath, tree: Tree) -> None:
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.is_dir():
            _walk(child, prefix / child.name, tree)
        elif child.name.endswith(".tf"):
            tree[prefix / child.name] = child.read_bytes()


def _with_skips(text: str, comments: dict[str, list[str]]) -> tuple[str, set[str]]:
    """``text`` with the comments written under the headers of the blocks they name."""
    lines = []
    placed = set()
    for line in text.splitlines(keepends=True):
        lines.append(line)
        header = _HEADER.match(line.rstrip("\n"))
        if header is None:
            continue
        kind, type_name, name = header.groups()
        address = f"{'data.' if kind == 'data' else ''}{type_name}.{name}"
        for comment in comments.get(address, []):
            lines.append(f"  {comment}\n")
            placed.add(address)
    return "".join(lines), placed


def module_files(skips: Sequence[Skip] = ()) -> Tree:
    """Every ``.tf`` file of every module, at ``modules/<module>/<file>``, with the skips.

    Raises ``ValueError`` when a skip names a block that no module has: a stale entry in
    the reviewed table is a bug to fix there, not something to skip silently.
    """
    tree: Tree = {}
    _walk(resources.files("generator") / "modules", PurePosixPath("modules"), tree)
    wanted: dict[str, dict[str, list[str]]] = {}
    for skip in sorted(skips):
        for module, address in skip.blocks():
            wanted.setdefault(module, {}).setdefault(address, []).append(skip.comment())
    missing = {f"{m}/{a}" for m, blocks in wanted.items() for a in blocks}
    for path in sorted(tree):
        comments = wanted.get(path.parts[1], {})
        if comments:
            text, placed = _with_skips(tree[path].decode("utf-8"), comments)
            tree[path] = text.encode("utf-8")
            missing -= {f"{path.parts[1]}/{address}" for address in placed}
    if missing:
        msg = f"policies/skips.yaml names blocks no module has: {sorted(missing)}"
        raise ValueError(msg)
    return tree
