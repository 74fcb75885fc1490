"""How many cores ``trellis check`` may use, and how stacks are split into checkov groups.

:func:`available_cpus` is what ``--jobs`` defaults to: the CPUs the process may run on
(``os.sched_getaffinity``, which follows ``taskset`` and cpusets), lowered to the cgroup v2
CPU quota (``cpu.max`` of the process's cgroup and each of its ancestors) when one is set,
as in a container started with ``--cpus 2``.

:func:`plan_groups` splits the stacks checkov must scan into groups of similar total size:
a multiple of ``jobs`` groups (one lane of groups per job, see
:mod:`generator.check.checkov_groups`) of at most about :data:`MAX_STACKS_PER_GROUP`
stacks each. A group is a set of whole stacks; each stack is laid out with its own copy of
the modules it calls (:func:`generator.check.checkov_cache.lay_out_scan_dir`), so checkov's
graph of a stack is the same in any group as in one scan of all of them. A checkov process
costs seconds of start-up, so a group holds at least :data:`MIN_STACKS_PER_GROUP` stacks
when there are enough of them; and checkov's time per stack grows with the stacks in one
process, so no group holds many more than :data:`MAX_STACKS_PER_GROUP`.

What can go wrong: an unreadable or malformed ``cpu.max`` is ignored (the affinity count
stands), never an error.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

MIN_STACKS_PER_GROUP = 4
"""Below this many stacks per group, another checkov start-up costs more than it saves."""

MAX_STACKS_PER_GROUP = 40
"""Above this many stacks per group, checkov's time per stack grows more than another
start-up costs. Fitted to scans of 10 to 180 generated stacks (benchmarks/check.py's):
about 5.8 s + 0.45 s per stack + 0.0021 s per stack squared, least per stack near 50;
40 leaves the lanes' last groups small enough to finish together."""

CGROUP_ROOT = Path("/sys/fs/cgroup")


def cgroup_cpu_limit(
    proc_cgroup: Path = Path("/proc/self/cgroup"), root: Path = CGROUP_ROOT
) -> int | None:
    """The cgroup v2 CPU quota of this process in whole CPUs (rounded up), ``None`` if unset.

    Reads ``cpu.max`` (``"<quota> <period>"`` or ``"max <period>"``) in the process's cgroup
    and every ancestor up to ``root``; the smallest quota wins. cgroup v1 is not read.
    """
    try:
        lines = proc_cgroup.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    relative = next((line[3:] for line in lines if line.startswith("0::")), None)
    if relative is None:
        return None
    directory = root / relative.lstrip("/")
    limits: list[int] = []
    while True:
        limit = _quota(directory / "cpu.max")
        if limit is not None:
            limits.append(limit)
        if directory == root or root not in directory.parents:
            break
        directory = directory.parent
    return min(limits) if limits else None


def _quota(path: Path) -> int | None:
    try:
        fields = path.read_text(encoding="utf-8").split()
    except OSError:
        return None
    if len(fields) != 2 or fields[0] == "max":
        return None
    try:
        quota, period = int(fields[0]), int(fields[1])
    except ValueError:
        return None
    if quota <= 0 or period <= 0:
        return None
    return max(1, math.ceil(quota / period))


def available_cpus() -> int:
    """CPUs this process may use: its affinity mask, capped by a cgroup v2 quota."""
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        count = os.cpu_count() or 1
    limit = cgroup_cpu_limit()
    return max(1, min(count, limit) if limit is not None else count)


def group_count(stacks: int, jobs: int) -> int:
    """How many checkov groups ``stacks`` stacks make with ``jobs`` jobs (0 for no stacks).

    One lane per job (fewer when the stacks are too few to be worth it), and every lane gets
    as many groups as it takes to keep each near or below :data:`MAX_STACKS_PER_GROUP`.
    """
    if stacks <= 0:
        return 0
    worth_splitting = max(1, stacks // MIN_STACKS_PER_GROUP)
    lanes = max(1, min(jobs, stacks, worth_splitting))
    return lanes * math.ceil(stacks / (lanes * MAX_STACKS_PER_GROUP))


def plan_groups(items: Sequence[T], jobs: int, weight: Callable[[T], int]) -> list[list[T]]:
    """Split ``items`` (sortable) into :func:`group_count` groups of similar total weight.

    Largest first, each to the lightest group so far (ties to the first group): the same
    input always gives the same groups, and each group keeps the items' order.
    """
    count = group_count(len(items), jobs)
    if count == 0:
        return []
    order = {item: index for index, item in enumerate(items)}
    groups: list[list[T]] = [[] for _ in range(count)]
    loads = [0] * count
    for item in sorted(items, key=lambda i: (-weight(i), order[i])):
        lightest = loads.index(min(loads))
        groups[lightest].append(item)
        loads[lightest] += weight(item)
    return [sorted(group, key=order.__getitem__) for group in groups if group]
