"""The lanes that scan checkov's groups: at most one process per job, the rest in turn.

These tests are about the scheduling, so the executable is a stand-in that logs when it
starts and ends and writes an empty report; that the groups' findings equal one scan's is
proven with the real checkov in test_jobs.py.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from generator.check import jobs
from generator.check.checkov_cache import ScanInputs
from generator.check.checkov_groups import start_lanes
from generator.check.context import CheckContext, StackRef

STAND_IN = """\
import json, os, sys, time
args = sys.argv[1:]
scanned = os.path.basename(args[args.index("--directory") + 1])
log = os.environ["LANES_LOG"]
with open(log, "a") as out:
    out.write(f"start {scanned}\\n")
if scanned in os.environ.get("LANES_FAIL", "").split():
    sys.exit(3)
time.sleep(float(os.environ["LANES_SLEEP"]))
with open(os.path.join(args[args.index("--output-file-path") + 1], "results_json.json"), "w") as r:
    json.dump({"results": {}}, r)
with open(log, "a") as out:
    out.write(f"end {scanned}\\n")
"""


def _repository(tmp_path: Path, count: int) -> CheckContext:
    build = tmp_path / "build"
    stacks = []
    for index in range(count):
        stack = build / "dev" / f"stack-{index:02d}"
        stack.mkdir(parents=True)
        (stack / "main.tf").write_text(f'locals {{\n  n = "{index}"\n}}\n')
        stacks.append(StackRef("dev", stack.name, stack))
    return CheckContext(
        repo_root=tmp_path,
        build_dir=build,
        stacks=tuple(stacks),
        policy_dirs=(),
        cache_dir=tmp_path / "cache",
        jobs=2,
    )


@pytest.fixture
def stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The stand-in executable and its log; groups of at most 3 stacks."""
    executable = tmp_path / "checkov"
    executable.write_text(f"#!{sys.executable}\n{STAND_IN}", encoding="utf-8")
    executable.chmod(0o755)
    log = tmp_path / "lanes.log"
    monkeypatch.setenv("LANES_LOG", str(log))
    monkeypatch.setattr(jobs, "MAX_STACKS_PER_GROUP", 3)
    return executable, log


def _events(log: Path) -> list[tuple[str, str]]:
    if not log.exists():
        return []
    return [tuple(line.split()) for line in log.read_text().splitlines()]  # type: ignore[misc]


def test_two_jobs_never_run_more_than_two_processes(
    tmp_path: Path, stand_in: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """12 stacks, --jobs 2, groups of 3: four processes, two at a time, each group once."""
    executable, log = stand_in
    monkeypatch.setenv("LANES_SLEEP", "0.3")
    context = _repository(tmp_path, 12)
    lanes = start_lanes(context, list(context.stacks), executable, ScanInputs(context.build_dir))
    results: dict[str, object] = {}
    for lane in lanes:
        results.update(lane.result())
    assert sorted(results) == [f"dev__stack-{i:02d}" for i in range(12)]
    running, most = 0, 0
    events = _events(log)
    for kind, _ in events:
        running += 1 if kind == "start" else -1
        most = max(most, running)
    assert len(lanes) == 2
    assert most == 2
    assert sorted(name for kind, name in events if kind == "start") == [
        f"checkov-scan-{i}" for i in range(4)
    ]
    assert not any((context.cache_dir / f"checkov-scan-{i}").exists() for i in range(4))


def test_cancel_kills_the_running_scans_and_starts_no_other(
    tmp_path: Path, stand_in: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cancelled check leaves no process running, no next group started, no scan dir."""
    executable, log = stand_in
    monkeypatch.setenv("LANES_SLEEP", "60")
    context = _repository(tmp_path, 12)
    lanes = start_lanes(context, list(context.stacks), executable, ScanInputs(context.build_dir))
    deadline = time.monotonic() + 30
    while len(_events(log)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    started = time.monotonic()
    for lane in lanes:
        lane.cancel()
    assert time.monotonic() - started < 10
    assert [kind for kind, _ in _events(log)] == ["start", "start"]
    assert not context.cache_dir.exists() or not any(context.cache_dir.iterdir())


def test_a_failing_group_is_an_error_and_its_lane_stops(
    tmp_path: Path, stand_in: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """checkov failing in a lane's first group raises from result(); the lane's second group
    never starts."""
    executable, log = stand_in
    monkeypatch.setenv("LANES_SLEEP", "0")
    monkeypatch.setenv("LANES_FAIL", "checkov-scan-0")
    context = _repository(tmp_path, 12)
    lanes = start_lanes(context, list(context.stacks), executable, ScanInputs(context.build_dir))
    with pytest.raises(RuntimeError, match="exited 3"):
        lanes[0].result()
    lanes[1].result()
    starts = sorted(name for kind, name in _events(log) if kind == "start")
    assert starts == ["checkov-scan-0", "checkov-scan-1", "checkov-scan-3"]
