"""``trellis check --shard K/N``: a deterministic, balanced share of the root stacks.

Every machine that runs shard K of N over the same rendered tree picks the same stacks:
the split depends only on stack names and the sizes of their ``.tf`` files (which render
byte-identically everywhere), never on Python's ``hash()`` or the file system's order.

A stack's cost is the bytes of ``.tf`` it makes the validators read: its own files plus
those of every local module it uses (checkov and ``terraform validate`` load them with
the stack). Stacks are dealt out largest first, each to the shard with the least cost so
far (ties to the lower shard number). Shard 1 starts with the cost of the files that
belong to no stack (shared modules, workflows): it alone checks them, once for all shards.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from generator.check.context import CheckContext, StackRef
from generator.check.stacks import local_module_dirs, stack_for_file
from generator.errors import UserError

_SPEC = re.compile(r"^\s*(?P<index>[+-]?\d+)\s*/\s*(?P<count>[+-]?\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` of ``count`` (1-based, as ``--shard`` and CI matrices write it)."""

    index: int
    count: int

    @property
    def is_first(self) -> bool:
        """Shard 1 also runs the repository-wide checks."""
        return self.index == 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    """``"2/4"`` → ``Shard(2, 4)``.

    Raises :class:`UserError` naming ``--shard``, the value and the expected form when the
    text is not ``K/N`` with whole numbers ``1 <= K <= N``.
    """
    match = _SPEC.match(text)
    if match is None:
        raise UserError.single(
            "--shard",
            f"{text!r} is not a shard: expected K/N, the shard number and the number of shards",
            hint="for example --shard 1/4 ... --shard 4/4 on four CI runners",
        )
    index, count = int(match["index"]), int(match["count"])
    if count < 1:
        raise UserError.single(
            "--shard",
            f"{text!r} asks for {count} shards; there must be at least one",
            hint="N is how many runners share the check, for example --shard 1/4",
        )
    if not 1 <= index <= count:
        raise UserError.single(
            "--shard",
            f"{text!r}: shard {index} does not exist, shards of {count} are numbered 1 to {count}",
            hint=f"use --shard K/{count} with K from 1 to {count}",
        )
    return Shard(index, count)


def _tf_bytes(directory: Path) -> int:
    return sum(path.stat().st_size for path in directory.glob("*.tf"))


def stack_cost(stack: StackRef, sources: dict[Path, list[Path]] | None = None) -> int:
    """Bytes of ``.tf`` a check reads for ``stack``: its own files and its modules'.

    ``sources`` is one run's memo of module sources (see :func:`local_module_dirs`).
    """
    modules = local_module_dirs(stack.path, sources)
    return _tf_bytes(stack.path) + sum(_tf_bytes(d) for d in modules)


def shared_cost(build_dir: Path) -> int:
    """Bytes of the files no stack owns (modules, workflows): what only shard 1 checks."""
    total = 0
    for path in build_dir.rglob("*"):
        if not path.is_file() or path.suffix not in (".tf", ".yml", ".yaml"):
            continue
        relative = path.relative_to(build_dir).as_posix()
        if stack_for_file(relative) is None:
            total += path.stat().st_size
    return total


def partition(
    stacks: Sequence[StackRef], count: int, *, first_load: int = 0
) -> tuple[tuple[StackRef, ...], ...]:
    """``stacks`` split into ``count`` shares of about equal cost, each sorted like the input.

    Largest cost first to the least-loaded share (ties: lower share, then stack key), so
    the result depends only on names and file sizes. ``first_load`` is work share 1
    already has. A share may be empty when there are fewer stacks than shards.
    """
    sources: dict[Path, list[Path]] = {}
    costs = {stack: stack_cost(stack, sources) for stack in stacks}
    loads = [first_load] + [0] * (count - 1)
    shares: list[list[StackRef]] = [[] for _ in range(count)]
    for stack in sorted(stacks, key=lambda s: (-costs[s], s.env, s.name)):
        target = min(range(count), key=lambda i: (loads[i], i))
        shares[target].append(stack)
        loads[target] += costs[stack]
    order = {stack: position for position, stack in enumerate(stacks)}
    return tuple(tuple(sorted(share, key=order.__getitem__)) for share in shares)


def select_shard(context: CheckContext, shard: Shard) -> CheckContext:
    """``context`` narrowed to ``shard``'s stacks; only shard 1 keeps the shared files.

    The stacks of the other shards are recorded in ``context.elsewhere`` so validators
    that walk the whole tree skip their files instead of checking them N times.
    """
    if shard.count == 1:
        return context
    shares = partition(context.stacks, shard.count, first_load=shared_cost(context.build_dir))
    mine = shares[shard.index - 1]
    others = frozenset(
        s.key for i, share in enumerate(shares) if i != shard.index - 1 for s in share
    )
    return replace(context, stacks=mine, elsewhere=others, repository_wide=shard.is_first)
