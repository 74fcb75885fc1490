"""checkov over groups of stacks: one process per group, at most one running per job.

checkov's time per stack grows with the number of stacks in one process (measured on
generated ingestion stacks: 0.68 s per stack in a process of 30, 0.86 s in one of 180),
so the stacks to scan are cut into groups of at most about
:data:`generator.check.jobs.MAX_STACKS_PER_GROUP` (:func:`generator.check.jobs.plan_groups`)
and the groups are dealt round-robin to ``jobs`` lanes. A lane scans its groups one after
another: its first checkov process is started by :func:`start_lanes` on the caller's thread
(so the check's critical path starts at once), each next one by the lane's own thread when
the previous one ends. Each stack is laid out with its own copy of its modules, so a
stack's results do not depend on its group (a test compares one scan with several).

What can go wrong: checkov failing (exit code other than 0 or 1, no report) raises
:class:`RuntimeError` from :meth:`Lane.result`; :meth:`Lane.cancel` kills the running
process, starts no further group and removes the scan directories.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from typing import Any

from generator.check.checkov_cache import ScanInputs, lay_out_scan_dir, scan_key
from generator.check.checkov_tool import CheckovProcess, start_scan
from generator.check.context import CheckContext, StackRef
from generator.check.jobs import available_cpus, plan_groups


def empty_result() -> dict[str, Any]:
    """One stack's results when checkov reported nothing for it."""
    return {"failed": [], "skipped": [], "parsing_errors": []}


def start_lanes(
    context: CheckContext,
    stacks: list[StackRef],
    executable: Path,
    inputs: ScanInputs,
    warm: CheckovProcess | None = None,
) -> list[Lane]:
    """Plan the groups of ``stacks`` and start each lane's first checkov process (none if no
    stacks); on any error, whatever was started is cancelled before it propagates.

    ``warm``, a process already importing checkov, scans the first group; it is cancelled
    when there is nothing to scan or on any error, so it never outlives this call unused.
    """
    lanes: list[Lane] = []
    try:
        if not stacks:
            if warm is not None:
                warm.cancel()
            return []
        jobs = context.jobs if context.jobs is not None else available_cpus()
        size = {s: sum(p.stat().st_size for p in inputs.files(s)) for s in stacks}
        groups = plan_groups(stacks, jobs, size.__getitem__)
        named = [
            (("checkov-scan" if len(groups) == 1 else f"checkov-scan-{index}"), group)
            for index, group in enumerate(groups)
        ]
        lane_count = min(jobs, len(named))
        for lane in range(lane_count):
            first = warm if lane == 0 else None
            lanes.append(Lane(context, named[lane::lane_count], executable, inputs, first))
    except BaseException:
        for started in lanes:
            started.cancel()
        if warm is not None:
            warm.cancel()  # idempotent: lane 0 may have taken and cancelled it already
        raise
    return lanes


class GroupScan:
    """One group's checkov process: laid out and started on construction."""

    def __init__(
        self,
        context: CheckContext,
        stacks: list[StackRef],
        executable: Path,
        name: str,
        inputs: ScanInputs,
        process: CheckovProcess | None = None,
    ) -> None:
        self.stacks = stacks
        self.scan_dir = context.cache_dir / name
        try:
            lay_out_scan_dir(self.scan_dir, stacks, context.build_dir, inputs)
            self.running = start_scan(self.scan_dir, context.policy_dirs, executable, process)
        except BaseException:
            if process is not None:
                process.cancel()
            shutil.rmtree(self.scan_dir, ignore_errors=True)
            raise

    def cancel(self) -> None:
        """Stop the process (if still running) and remove the scan directory."""
        self.running.cancel()
        shutil.rmtree(self.scan_dir, ignore_errors=True)

    def result(self) -> dict[str, Any]:
        """Wait for checkov; its results grouped by scan key, paths build-relative."""
        try:
            raw = self.running.result()
            root = os.path.realpath(self.scan_dir)
        finally:
            shutil.rmtree(self.scan_dir, ignore_errors=True)
        grouped: dict[str, dict[str, Any]] = {scan_key(s): empty_result() for s in self.stacks}
        for kind, target in (("failed_checks", "failed"), ("skipped_checks", "skipped")):
            for record in raw[kind]:
                key, relative = _locate(root, record.get("file_abs_path") or "")
                if key not in grouped:
                    continue
                grouped[key][target].append(_normalise(record, relative))
        for error in raw["parsing_errors"]:
            key, relative = _locate(root, str(error))
            if key in grouped:
                grouped[key]["parsing_errors"].append(relative)
        for entry in grouped.values():
            for field in ("failed", "skipped"):
                entry[field].sort(
                    key=lambda r: (r["file"], r["line"] or 0, r["check_id"], r["resource"])
                )
            entry["parsing_errors"].sort()
        return grouped


class Lane:
    """Named groups scanned one after another; the first starts on construction."""

    def __init__(
        self,
        context: CheckContext,
        groups: list[tuple[str, list[StackRef]]],
        executable: Path,
        inputs: ScanInputs,
        warm: CheckovProcess | None = None,
    ) -> None:
        self._context, self._executable, self._inputs = context, executable, inputs
        self._pending = list(groups[1:])
        self._lock = threading.Lock()
        self._cancelled = False
        self._error: BaseException | None = None
        self._results: dict[str, dict[str, Any]] = {}
        self._current = self._start(*groups[0], warm)
        self._thread = threading.Thread(target=self._scan_all, name="checkov-lane", daemon=True)
        self._thread.start()

    def _start(
        self, name: str, group: list[StackRef], process: CheckovProcess | None = None
    ) -> GroupScan:
        return GroupScan(self._context, group, self._executable, name, self._inputs, process)

    def _scan_all(self) -> None:
        try:
            scan = self._current
            while True:
                self._results.update(scan.result())
                with self._lock:
                    if self._cancelled or not self._pending:
                        return
                    scan = self._current = self._start(*self._pending.pop(0))
        except BaseException as error:  # handed to result(), re-raised on the caller's thread
            self._error = error

    def result(self) -> dict[str, dict[str, Any]]:
        """Wait for every group of the lane; their results by scan key."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._results

    def cancel(self) -> None:
        """Kill the running process, start no other, remove the scan directories."""
        with self._lock:
            self._cancelled = True
            self._current.cancel()
        self._thread.join()


def _locate(root: str, path: str) -> tuple[str, str]:
    """Split a path inside the scan directory into (scan key, build-relative path)."""
    real = os.path.realpath(path) if path else ""
    if not real.startswith(root + os.sep):
        return "", path
    parts = Path(os.path.relpath(real, root)).parts
    return parts[0], Path(*parts[1:]).as_posix() if len(parts) > 1 else ""


def _normalise(record: dict[str, Any], relative: str) -> dict[str, Any]:
    line_range = record.get("file_line_range") or [None]
    check_result = record.get("check_result") or {}
    return {
        "check_id": record.get("check_id", ""),
        "check_name": record.get("check_name", ""),
        "file": relative,
        "line": line_range[0] if line_range and line_range[0] else None,
        "resource": record.get("resource", ""),
        "guideline": record.get("guideline") or "",
        "reason": check_result.get("suppress_comment") or "",
    }
