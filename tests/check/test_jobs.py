"""checkov split into groups gives what one scan gives; the group plan and its lanes; the CPU
count."""

from __future__ import annotations

import dataclasses
import math
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.check import jobs
from generator.check.report import render
from generator.check.runner import run_checks
from generator.pipeline import render_repository
from tests.check.conftest import checkov_wrapper, context_for
from tests.checkov_once import once

ROOT = Path(__file__).resolve().parents[2]
ENVS = ("dev", "prd")
"""Two environments of the examples: 12 stacks, enough for three groups of four."""


RUNS = {"1": (1, None), "3": (3, None), "2x2": (2, 4)}
"""--jobs and a group-size cap per run: one scan; three groups at once; and two lanes of two
groups each, scanned one after another (the cap lowered from 40 so 12 stacks need it)."""


def _scan_both_ways(workdir: Path) -> dict[str, Any]:
    """The examples checked by checkov in each of the :data:`RUNS` ways."""
    repo = workdir / "repo"
    for part in ("blueprints", "environments"):
        shutil.copytree(ROOT / part, repo / part, dirs_exist_ok=True)
    render_repository(repo)
    log = workdir / "scans.log"
    previous = os.environ.get("TRELLIS_CHECKOV")
    os.environ["TRELLIS_CHECKOV"] = str(checkov_wrapper(workdir, log))
    results: dict[str, Any] = {}
    try:
        for name, (count, cap) in RUNS.items():
            shutil.rmtree(repo / ".trellis", ignore_errors=True)
            context = dataclasses.replace(context_for(repo, ENVS), jobs=count)
            before = len(log.read_text().splitlines()) if log.exists() else 0
            default_cap = jobs.MAX_STACKS_PER_GROUP
            jobs.MAX_STACKS_PER_GROUP = cap or default_cap
            try:
                report = run_checks(context, only=["checkov"])
            finally:
                jobs.MAX_STACKS_PER_GROUP = default_cap
            results[name] = {
                "scans": log.read_text().splitlines()[before:],
                "findings": [f.to_record() for f in report.findings],
                "skips": [dataclasses.asdict(s) for s in report.skips],
                "json": render(report, "json"),
                "sarif": render(report, "sarif"),
                "stacks": list(report.stacks),
            }
    finally:
        if previous is None:
            del os.environ["TRELLIS_CHECKOV"]
        else:
            os.environ["TRELLIS_CHECKOV"] = previous
    return results


@pytest.fixture(scope="session")
def one_and_three(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The two runs of :func:`_scan_both_ways`, once per test session."""
    return once(tmp_path_factory, "checkov-one-and-three", _scan_both_ways)


def test_three_groups_are_three_checkov_processes_over_every_stack(
    one_and_three: dict[str, Any],
) -> None:
    """--jobs 3 runs three checkov scans whose stacks, together, are the single scan's."""
    single, split = one_and_three["1"]["scans"], one_and_three["3"]["scans"]
    assert len(single) == 1 and len(split) == 3
    assert sorted(" ".join(split).split()) == single[0].split()
    assert all(scan.split() for scan in split)


def test_two_lanes_of_two_groups_scan_every_stack_once(one_and_three: dict[str, Any]) -> None:
    """With the group cap at 4, --jobs 2 scans 12 stacks as four groups of three."""
    single, lanes = one_and_three["1"]["scans"], one_and_three["2x2"]["scans"]
    assert [len(scan.split()) for scan in lanes] == [3, 3, 3, 3]
    assert sorted(" ".join(lanes).split()) == single[0].split()


def test_split_scan_findings_and_skips_equal_the_single_scan(
    one_and_three: dict[str, Any],
) -> None:
    """Check ids, resources, files, lines and skips are the same whether checkov ran once, in
    three groups at once, or in two lanes of two groups, and the JSON and SARIF reports are
    byte-identical."""
    single = one_and_three["1"]
    assert len(single["stacks"]) == 12
    assert single["skips"], "the examples apply reviewed skips; an empty list proves nothing"
    for run in ("3", "2x2"):
        for part in ("findings", "skips", "json", "sarif"):
            assert one_and_three[run][part] == single[part], (run, part)


def test_groups_are_balanced_and_deterministic() -> None:
    """Largest first into the lightest group: similar totals, same groups every time."""
    weights = {"a": 9, "b": 7, "c": 6, "d": 5, "e": 4, "f": 3, "g": 2, "h": 1}
    items = sorted(weights)
    groups = jobs.plan_groups(items, 3, weights.__getitem__)
    assert groups == jobs.plan_groups(items, 3, weights.__getitem__)
    assert sorted(x for g in groups for x in g) == items
    totals = [sum(weights[x] for x in g) for g in groups]
    assert max(totals) - min(totals) <= 2
    assert all(g == sorted(g) for g in groups)


@pytest.mark.parametrize(
    ("stacks", "requested", "expected"),
    [
        (0, 4, 0),
        (1, 8, 1),
        (3, 8, 1),
        (8, 8, 2),
        (12, 3, 3),
        (80, 2, 2),
        (81, 2, 4),
        (153, 2, 4),
        (453, 2, 12),
        (453, 1, 12),
        (453, 64, 64),
    ],
)
def test_group_count_is_lanes_times_groups_of_at_most_the_cap(
    stacks: int, requested: int, expected: int
) -> None:
    """A multiple of the lanes (at most one per job), groups no smaller than
    MIN_STACKS_PER_GROUP when avoidable, and none above MAX_STACKS_PER_GROUP."""
    count = jobs.group_count(stacks, requested)
    assert count == expected
    if count:
        assert count % min(requested, count) == 0
        assert math.ceil(stacks / count) <= jobs.MAX_STACKS_PER_GROUP


@pytest.mark.parametrize(
    ("cpu_max", "parent_max", "expected"),
    [("max 100000", None, None), ("150000 100000", None, 2), ("max 100000", "100000 100000", 1)],
)
def test_cgroup_quota_rounds_up_and_the_smallest_ancestor_wins(
    tmp_path: Path, cpu_max: str, parent_max: str | None, expected: int | None
) -> None:
    """cpu.max of the process's cgroup and its ancestors caps the CPU count."""
    root = tmp_path / "cgroup"
    own = root / "box" / "job"
    own.mkdir(parents=True)
    (own / "cpu.max").write_text(cpu_max + "\n")
    if parent_max is not None:
        (root / "box" / "cpu.max").write_text(parent_max + "\n")
    proc = tmp_path / "proc-cgroup"
    proc.write_text("0::/box/job\n")
    assert jobs.cgroup_cpu_limit(proc, root) == expected


def test_unreadable_cgroup_files_leave_the_affinity_count(tmp_path: Path) -> None:
    """No cgroup v2 line, a missing or malformed cpu.max: no limit, never an error."""
    proc = tmp_path / "proc-cgroup"
    proc.write_text("1:cpu:/\n")
    assert jobs.cgroup_cpu_limit(proc, tmp_path) is None
    proc.write_text("0::/\n")
    (tmp_path / "cpu.max").write_text("lots\n")
    assert jobs.cgroup_cpu_limit(proc, tmp_path) is None
    assert jobs.cgroup_cpu_limit(tmp_path / "absent", tmp_path) is None
    assert 1 <= jobs.available_cpus() <= len(os.sched_getaffinity(0))
