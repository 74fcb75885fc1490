"""Benchmark `trellis check` at two scales against the tools it runs, alone, in one run.

Renders N generated ingestion blueprints × dev, stg, prd (3N + 3 root stacks: the
blueprints' and each environment's bootstrap) with the real renderer, and a second
repository with a third of them (`--small`), then times:

- plain checkov over the rendered `build/` (built-in checks plus policies/checkov);
- plain `terraform validate` of every root stack, through one offline session;
- `trellis check --no-render --jobs 1` with a cold cache (one checkov process);
- `trellis check --no-render` at the default jobs (the CPUs available) with a cold cache,
  at both scales, alternating, three times each: the best time per stack at N over the best
  at N/3 shows linearity (the first run at N is the one compared with plain checkov);
- the re-check after one changed blueprint (the blueprint edited and rendered, its
  writes flushed, then `trellis check --no-render` with the caches of the check before),
  three times, each after a different blueprint changed: the best over the best cold
  check at N;
- `trellis --help` (best of 5 starts);
- a 4-shard check (`--shard K/4`, each shard cold as on its own CI runner) and its merged
  result against the unsharded one: see :func:`shard_rows`.

Goals (issue 17, on a 2-core machine; ratios from one run): cold check ≤ 0.80× plain
checkov; per stack at N ≤ 1.10× per stack at N/3; re-check ≤ 0.03× cold; `trellis --help`
≤ 0.15 s; each of 4 shards ≤ 0.35× unsharded with merged findings identical.

    .venv/bin/python benchmarks/check.py --blueprints 150     # 453 root stacks, and 153

On a shared machine compare ratios, not seconds; the header prints the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.render import generate  # noqa: E402
from generator.check.jobs import available_cpus  # noqa: E402
from generator.check.stacks import discover_stacks  # noqa: E402
from generator.offline_provider.runner import validate_stack  # noqa: E402
from generator.offline_provider.session import OfflineSession  # noqa: E402
from generator.offline_provider.workspace import StackScanner  # noqa: E402
from generator.pipeline import render_repository  # noqa: E402

SHARDS = 4
HELP_RUNS = 5
LINEARITY_RUNS = 3
CHANGED_BLUEPRINTS = ("pipeline-0000", "pipeline-0002", "pipeline-0004")  # scheduled ones
"""One re-check after each: a few seconds each on a shared machine, so the best of three."""


@dataclass(frozen=True)
class Row:
    """One line of the table: what was measured, the value, and the ratio beside its goal."""

    label: str
    value: str = ""
    ratio: str = ""
    goal: str = ""
    met: bool | None = None


@dataclass(frozen=True)
class Tools:
    """The executables every timed command uses, and their environment."""

    checkov: str
    trellis: str
    env: dict[str, str]


def _checkov() -> str:
    found = os.environ.get("TRELLIS_CHECKOV") or shutil.which("checkov")
    return found or str(ROOT / ".venv-checkov" / "bin" / "checkov")


def _timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command[:3])} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return elapsed


def _repository(workdir: Path, blueprints: int) -> Path:
    repo = generate(workdir / f"repo-{blueprints}", blueprints)
    render_repository(repo, cache_dir=workdir / "bundle-cache")
    return repo


def _plain_checkov(tools: Tools, build: Path, out: Path) -> float:
    return _timed(
        [
            tools.checkov,
            "-d",
            str(build),
            "--framework",
            "terraform",
            "--skip-download",
            "--external-checks-dir",
            str(ROOT / "policies" / "checkov"),
            "--compact",
            "-o",
            "json",
            "--output-file-path",
            str(out),
        ],
        tools.env,
    )


def _plain_terraform(build: Path, cache: Path) -> float:
    """Validate every stack in one offline session (what terraform_validate does, uncached)."""
    stacks = discover_stacks(build)
    start = time.perf_counter()
    scanner = StackScanner()
    scans = [scanner.scan(s.path) for s in stacks]
    with OfflineSession(scans, cache) as session:
        for stack, scan in zip(stacks, scans, strict=True):
            validate_stack(stack.path, session=session, build_dir=build, scan=scan)
    return time.perf_counter() - start


def _check_command(tools: Tools, repo: Path, report: Path, *extra: str) -> list[str]:
    return [
        tools.trellis,
        "check",
        str(repo),
        "--no-render",
        "--format",
        "json",
        "--output",
        str(report),
        *extra,
    ]


def _cold_check(tools: Tools, repo: Path, report: Path, *extra: str) -> float:
    shutil.rmtree(repo / ".trellis" / "cache" / "check", ignore_errors=True)
    return _timed(_check_command(tools, repo, report, *extra), tools.env)


def _findings(report: Path) -> list[dict[str, object]]:
    return list(json.loads(report.read_text(encoding="utf-8"))["findings"])


def _change_one_blueprint(repo: Path, workdir: Path, name: str) -> None:
    """Edit one blueprint's schedule and render again (not timed: the check is).

    The render's writes are flushed before the check starts, so the kernel writing back
    thousands of rendered files does not land in a seconds-long timing.
    """
    blueprint = repo / "blueprints" / f"{name}.yaml"
    text = blueprint.read_text(encoding="utf-8")
    changed = text.replace("rate(15 minutes)", "rate(20 minutes)")
    if changed == text:
        raise SystemExit(f"{blueprint}: no 'rate(15 minutes)' to change")
    blueprint.write_text(changed, "utf-8")
    render_repository(repo, cache_dir=workdir / "bundle-cache")
    os.sync()


def help_seconds(tools: Tools) -> float:
    """HOOK (the --help row): the best of several `trellis --help` starts, in seconds.

    The lazy imports that make it fast belong to the sharding work (issue 17, "Fast
    start"); this only measures them.
    """
    best = float("inf")
    for _ in range(HELP_RUNS):
        best = min(best, _timed([tools.trellis, "--help"], tools.env))
    return best


def _has_shards(tools: Tools) -> bool:
    done = subprocess.run(
        [tools.trellis, "check", "--help"], env=tools.env, capture_output=True, text=True
    )
    return "--shard" in done.stdout and "--merge" in done.stdout


def shard_rows(
    tools: Tools, repo: Path, workdir: Path, unsharded_s: float, unsharded: Path
) -> list[Row]:
    """HOOK (the 4-shard row): each shard's cold time over the unsharded cold check, and
    whether the merged report equals the unsharded one.

    Runs `trellis check --shard K/4` (JSON, cache cleared before each, as on separate CI
    runners), then `trellis check --merge shard-*.json --output merged.json` and compares
    it, byte for byte, with ``unsharded`` (the unsharded JSON report of the same tree).
    Until this trellis has `--shard` and `--merge` (the sharding branch), the row says it
    was not measured.
    """
    goal = "<= 0.35x, merged identical"
    if not _has_shards(tools):
        return [Row(f"{SHARDS} shards", "", "not measured: no --shard in this build", goal)]
    times, parts = [], []
    for index in range(1, SHARDS + 1):
        part = workdir / f"shard-{index}.json"
        shutil.rmtree(repo / ".trellis" / "cache" / "check", ignore_errors=True)
        command = _check_command(tools, repo, part, f"--shard={index}/{SHARDS}")
        times.append(_timed(command, tools.env))
        parts.append(str(part))
    merged = workdir / "merged.json"
    _timed([tools.trellis, "check", "--merge", *parts, "--output", str(merged)], tools.env)
    same = merged.read_bytes() == unsharded.read_bytes()
    if not same:  # the table cannot hold why: say it before the temporary files go
        _print_difference(unsharded, merged)
    worst = max(times) / unsharded_s
    spread = ", ".join(f"{t:.1f}" for t in times)
    return [
        Row(
            f"{SHARDS} shards, each cold (slowest)",
            f"{max(times):.1f} s",
            f"{worst:.2f}x unsharded; merged {'identical' if same else 'DIFFERENT'} ({spread} s)",
            goal,
            worst <= 0.35 and same,
        )
    ]


def _print_difference(unsharded: Path, merged: Path) -> None:
    """Print what the merged report has that the unsharded one lacks, and the reverse."""
    whole = json.loads(unsharded.read_text(encoding="utf-8"))
    joined = json.loads(merged.read_text(encoding="utf-8"))
    for field in sorted(set(whole) | set(joined)):
        if whole.get(field) == joined.get(field):
            continue
        print(f"merged report differs in {field!r}:", file=sys.stderr)
        mine, theirs = whole.get(field), joined.get(field)
        if isinstance(mine, list) and isinstance(theirs, list):
            rows = [json.dumps(x, sort_keys=True) for x in mine]
            other = [json.dumps(x, sort_keys=True) for x in theirs]
            for row in sorted(set(rows) - set(other))[:10]:
                print(f"  only unsharded: {row}", file=sys.stderr)
            for row in sorted(set(other) - set(rows))[:10]:
                print(f"  only merged:    {row}", file=sys.stderr)
        else:
            print(f"  unsharded: {json.dumps(mine)[:500]}", file=sys.stderr)
            print(f"  merged:    {json.dumps(theirs)[:500]}", file=sys.stderr)


def _spread(runs: list[float], stacks: int) -> str:
    return "runs " + ", ".join(f"{seconds / stacks * 1000:.0f}" for seconds in runs) + " ms"


def _ratio_row(label: str, seconds: float, ratio: float, of: str, goal: float) -> Row:
    return Row(label, f"{seconds:.1f} s", f"{ratio:.3f}x {of}", f"<= {goal:.2f}x", ratio <= goal)


def main() -> None:
    """Render both repositories, time every run, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blueprints", type=int, default=150, help="blueprints (x3 stacks)")
    parser.add_argument("--small", type=int, help="blueprints at the smaller scale (N/3)")
    args = parser.parse_args()
    small_count = args.small or max(1, args.blueprints // 3)
    tools = Tools(
        _checkov(),
        str(Path(sys.executable).with_name("trellis")),
        dict(os.environ, TRELLIS_CHECKOV=_checkov(), BC_SKIP_MAPPING="TRUE", NO_COLOR="1"),
    )
    node_modules = ROOT / "node_modules"
    if node_modules.is_dir():  # the generated repositories are elsewhere: lint as a team would
        tools.env.setdefault("TRELLIS_NODE_MODULES", str(node_modules))
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="trellis-bench-check-") as tmp:
        workdir = Path(tmp)
        repo = _repository(workdir, args.blueprints)
        small = _repository(workdir, small_count)
        stacks = len(discover_stacks(repo / "build"))
        small_stacks = len(discover_stacks(small / "build"))
        report = workdir / "report.json"
        plain_s = _plain_checkov(tools, repo / "build", workdir / "plain")
        terraform_s = _plain_terraform(repo / "build", workdir / "tf-cache")
        one_job_s = _cold_check(tools, repo, report, "--jobs", "1")
        one_job_findings = _findings(report)
        # The two scales alternate, LINEARITY_RUNS times each, and the best of each is
        # compared: one slow run on a shared machine (checkov's processes alone have varied
        # by a fifth between runs) would otherwise decide the linearity row.
        small_runs: list[float] = []
        cold_runs: list[float] = []
        for _ in range(LINEARITY_RUNS):
            small_runs.append(_cold_check(tools, small, workdir / "small.json"))
            cold_runs.append(_cold_check(tools, repo, report))
        small_s, cold_s = min(small_runs), cold_runs[0]
        same = _findings(report) == one_job_findings
        missing = sorted(
            {str(f["message"]) for f in _findings(report) if str(f["check_id"]).endswith("MISSING")}
        )
        again_runs: list[float] = []
        for name in CHANGED_BLUEPRINTS:
            _change_one_blueprint(repo, workdir, name)
            again_runs.append(_timed(_check_command(tools, repo, report), tools.env))
        help_s = help_seconds(tools)
        shards = shard_rows(tools, repo, workdir, cold_s, report)
    per_stack, small_per_stack = min(cold_runs) / stacks, small_s / small_stacks
    again_s, best_cold_s = min(again_runs), min(cold_runs)
    linear = per_stack / small_per_stack
    rows = [
        Row("plain checkov over build/", f"{plain_s:.1f} s"),
        Row("plain terraform validate, every stack", f"{terraform_s:.1f} s"),
        Row(
            "trellis check --jobs 1, cold",
            f"{one_job_s:.1f} s",
            f"{one_job_s / plain_s:.2f}x checkov",
        ),
        _ratio_row(
            f"trellis check (default: {available_cpus()} jobs), cold",
            cold_s,
            cold_s / plain_s,
            "checkov",
            0.80,
        ),
        Row(
            "  findings at --jobs 1 and at the default",
            "",
            "identical" if same else "DIFFERENT",
            "identical",
            same,
        ),
        Row(
            f"per stack at {stacks} stacks, cold (best of {LINEARITY_RUNS})",
            f"{per_stack * 1000:.0f} ms",
            _spread(cold_runs, stacks),
        ),
        Row(
            f"per stack at {small_stacks} stacks, cold (best of {LINEARITY_RUNS})",
            f"{small_per_stack * 1000:.0f} ms",
            _spread(small_runs, small_stacks),
        ),
        Row(
            "  linearity",
            "",
            f"{linear:.2f}x per stack at {small_stacks}",
            "<= 1.10x",
            linear <= 1.10,
        ),
        _ratio_row(
            f"re-check after one changed blueprint (best of {len(again_runs)})",
            again_s,
            again_s / best_cold_s,
            f"best cold (runs {', '.join(f'{r:.1f}' for r in again_runs)} s)",
            0.03,
        ),
        Row(
            f"trellis --help (best of {HELP_RUNS})",
            f"{help_s:.2f} s",
            "",
            "<= 0.15 s",
            help_s <= 0.15,
        ),
        *shards,
    ]
    load_after = os.getloadavg()
    print(
        f"benchmarks/check.py: {args.blueprints} blueprints x 3 environments = {stacks} root "
        f"stacks (and {small_count} = {small_stacks}); {os.cpu_count()} CPUs, "
        f"{available_cpus()} available; load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after"
    )
    for message in missing:  # a check that skipped a tool did less than a team's does
        print(f"warning: the timed checks lacked a tool: {message}")
    widths = [max(len(getattr(r, f)) for r in rows) for f in ("label", "value", "ratio")]
    print(f"| {'measured':<{widths[0]}} | {'time':>{widths[1]}} | {'ratio':<{widths[2]}} | goal")
    print(f"|{'-' * (widths[0] + 2)}|{'-' * (widths[1] + 2)}|{'-' * (widths[2] + 2)}|------")
    for row in rows:
        verdict = "" if row.met is None else (" met" if row.met else " NOT met")
        goal = f"{row.goal}{verdict}" if row.goal else ""
        print(
            f"| {row.label:<{widths[0]}} | {row.value:>{widths[1]}} "
            f"| {row.ratio:<{widths[2]}} | {goal}"
        )


if __name__ == "__main__":
    main()
