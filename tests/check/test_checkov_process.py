"""A checkov process started before it knows what to scan (``checkov_tool.CheckovProcess``).

The scheduling tests use a stand-in ``checkov`` package on PYTHONPATH whose import leaves a
mark, so they can tell when the import happened; the last test scans the basic tree with
the real checkov, once through the early-started interpreter and once as a plain command
(a shell wrapper, which cannot be started early), and requires the same report.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from generator.check.checkov_cache import ScanInputs, lay_out_scan_dir
from generator.check.checkov_groups import start_lanes
from generator.check.checkov_tool import CheckovProcess, start_scan
from generator.policy.sources import policy_dirs
from tests.check.conftest import context_for, copy_basic
from tests.checkov_once import CHECKOV

HEAVY = """\
import os
with open(os.environ["STAND_IN_LOG"], "a") as log:
    log.write("dependencies imported\\n")
"""

MAIN = """\
import json, os, sys
import heavy_dependency

with open(os.environ["STAND_IN_LOG"], "a") as log:
    log.write("checkov.main imported\\n")


class Checkov:
    def __init__(self, argv=sys.argv[1:]):  # bound when defined, as in checkov
        self.argv = argv

    def run(self):
        if os.environ.get("STAND_IN_FAIL"):
            raise RuntimeError("stand-in checkov broke")
        out = self.argv[self.argv.index("--output-file-path") + 1]
        report = {"results": {"failed_checks": [{"argv": self.argv,
                  "hash_seed": os.environ.get("PYTHONHASHSEED")}]}}
        with open(os.path.join(out, "results_json.json"), "w") as handle:
            json.dump(report, handle)
        return 1
"""

SCRIPT = """\
import sys
from checkov.main import Checkov

if __name__ == "__main__":
    sys.exit(Checkov().run())
"""


@pytest.fixture
def stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A checkov script with a Python shebang, its package on PYTHONPATH, and its log."""
    site = tmp_path / "site"
    (site / "checkov").mkdir(parents=True)
    (site / "checkov" / "__init__.py").write_text("", encoding="utf-8")
    (site / "checkov" / "main.py").write_text(MAIN, encoding="utf-8")
    (site / "heavy_dependency.py").write_text(HEAVY, encoding="utf-8")
    executable = tmp_path / "bin" / "checkov"
    executable.parent.mkdir()
    executable.write_text(f"#!{sys.executable}\n{SCRIPT}", encoding="utf-8")
    executable.chmod(0o755)
    log = tmp_path / "stand-in.log"
    monkeypatch.setenv("PYTHONPATH", str(site))
    monkeypatch.setenv("STAND_IN_LOG", str(log))
    return executable, log


def _lines(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def _wait_for(log: Path, line: str) -> None:
    deadline = time.monotonic() + 60
    while line not in _lines(log):
        assert time.monotonic() < deadline, f"{line!r} never appeared in {_lines(log)}"
        time.sleep(0.05)


def test_checkov_is_imported_before_the_command_line_is_known(
    stand_in: tuple[Path, Path], tmp_path: Path
) -> None:
    """What checkov.main imports is loaded while trellis is still preparing; checkov.main
    itself runs only after, so its ``Checkov()`` sees the real command line."""
    executable, log = stand_in
    process = CheckovProcess(executable)
    _wait_for(log, "dependencies imported")
    assert _lines(log) == ["dependencies imported"]  # waiting: checkov.main not run yet
    scanned = tmp_path / "scan"
    scanned.mkdir()
    start_scan(scanned, (), executable, process)
    record = process.result()["failed_checks"][0]
    assert _lines(log) == ["dependencies imported", "checkov.main imported"]
    assert record["argv"][:2] == ["--directory", str(scanned.resolve())]
    assert record["argv"][-2] == "--output-file-path"


def test_every_checkov_process_runs_with_a_fixed_hash_seed(
    stand_in: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """checkov's graph can depend on set order (checkov#7680): the seed is pinned, whatever
    the caller's environment says."""
    executable, _ = stand_in
    monkeypatch.setenv("PYTHONHASHSEED", "random")
    result = start_scan(tmp_path, (), executable).result()
    assert result["failed_checks"][0]["hash_seed"] == "0"


def test_an_executable_without_a_python_shebang_is_started_when_told(
    stand_in: tuple[Path, Path], tmp_path: Path
) -> None:
    """A shell wrapper cannot be imported ahead: nothing runs until the command line is
    known, then the wrapper runs with it."""
    executable, log = stand_in
    wrapper = tmp_path / "checkov-wrapper"
    wrapper.write_text(f'#!/bin/sh\nexec "{executable}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    process = CheckovProcess(wrapper)
    assert _lines(log) == []
    start_scan(tmp_path, (), wrapper, process)
    record = process.result()["failed_checks"][0]
    assert record["argv"][:2] == ["--directory", str(tmp_path.resolve())]
    assert _lines(log) == ["dependencies imported", "checkov.main imported"]


def test_a_process_with_nothing_to_scan_leaves_nothing_behind(
    stand_in: tuple[Path, Path], tmp_path: Path
) -> None:
    """Every stack's results were cached: the early process is killed and its directory
    removed before it ever runs checkov."""
    executable, log = stand_in
    context = context_for(copy_basic(tmp_path / "repo"))
    process = CheckovProcess(executable)
    _wait_for(log, "dependencies imported")
    assert start_lanes(context, [], executable, ScanInputs(context.build_dir), process) == []
    assert not process.out.exists()
    assert "checkov.main imported" not in _lines(log)


def test_checkov_failing_after_the_early_start_is_an_internal_error_with_its_stderr(
    stand_in: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    executable, _ = stand_in
    monkeypatch.setenv("STAND_IN_FAIL", "1")
    process = start_scan(tmp_path, (), executable)
    with pytest.raises(RuntimeError, match="stand-in checkov broke"):
        process.result()


def test_started_early_or_as_a_plain_command_checkov_reports_the_same(tmp_path: Path) -> None:
    """The real checkov over the basic tree: through the early-started interpreter and
    through a shell wrapper (a plain command), the same failed and skipped checks."""
    repo = copy_basic(tmp_path / "repo")
    context = context_for(repo)
    directory = tmp_path / "scan"
    lay_out_scan_dir(directory, context.stacks, context.build_dir, ScanInputs(context.build_dir))
    wrapper = tmp_path / "checkov-wrapper"
    wrapper.write_text(f'#!/bin/sh\nexec "{CHECKOV}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    policies = policy_dirs(repo, ())
    early = start_scan(directory, policies, Path(CHECKOV))
    plain = start_scan(directory, policies, wrapper)
    reports = [early.result(), plain.result()]

    def comparable(report: dict[str, list[object]]) -> str:
        return json.dumps({k: sorted(map(json.dumps, v)) for k, v in report.items()})

    assert reports[0]["skipped_checks"], "the basic tree has reviewed skips"
    assert comparable(reports[0]) == comparable(reports[1])
    assert not early.out.exists()
