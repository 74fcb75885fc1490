"""Benchmark `trellis check` over rendered blueprints against the tools it runs, alone.

Renders N generated ingestion blueprints × dev, stg, prd with the real renderer, then
times in one run:

- plain checkov over the same `build/` (built-in checks plus policies/checkov);
- plain `terraform validate` of every root stack, through one offline session;
- `trellis check --no-render` with a cold cache (every validator);
- `trellis check --only terraform_validate` with a cold cache (terraform's share);
- a re-check after one stack changed;
- the median offline validate and plan time per root stack, over a sample of stacks;
- ``trellis --help``, and a 4-shard check (each shard's time, merged report identical).

Goals: full check ≤ 1.3× checkov alone; re-check ≤ 0.1× full; validate and plan ≤ 0.5 s
per root stack; trellis's overhead over checkov and terraform run alone ≤ 30 %.

    .venv/bin/python benchmarks/check.py --blueprints 200     # 600 root stacks
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.render import generate  # noqa: E402
from generator.check.stacks import discover_stacks  # noqa: E402
from generator.offline_provider.runner import plan_stack, validate_stack  # noqa: E402
from generator.offline_provider.session import OfflineSession  # noqa: E402
from generator.offline_provider.workspace import scan_stack  # noqa: E402
from generator.pipeline import render_repository  # noqa: E402

SAMPLE = 12
"""Root stacks timed one by one for the per-stack medians."""


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


def _terraform_alone(build: Path, cache: Path) -> tuple[float, list[float], list[float]]:
    """Validate every stack in one session; then time validate and plan on a sample."""
    stacks = discover_stacks(build)
    start = time.perf_counter()
    with OfflineSession([scan_stack(s.path) for s in stacks], cache) as session:
        for stack in stacks:
            validate_stack(stack.path, session=session, build_dir=build)
        total = time.perf_counter() - start
        validates, plans = [], []
        for stack in stacks[:: max(1, len(stacks) // SAMPLE)][:SAMPLE]:
            t0 = time.perf_counter()
            validate_stack(stack.path, session=session, build_dir=build)
            validates.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            with tempfile.TemporaryDirectory() as out:
                plan_stack(stack.path, Path(out), session=session, build_dir=build)
            plans.append(time.perf_counter() - t0)
    return total, validates, plans


SHARDS = 4
"""Shards of the sharded-check row (the PR workflow's default ``check.shards``)."""
HELP_RUNS = 7
"""``trellis --help`` is timed this many times; the best run is reported."""


def shard_and_start_rows(
    trellis: str, repo: Path, env: dict[str, str], full_s: float, full_report: Path, tmp: Path
) -> list[tuple[str, str, str]]:
    """Rows for ``trellis --help`` and a 4-shard check of ``repo`` as it is now.

    Each shard runs with a cold cache, as on its own CI runner; the shards' JSON reports
    are merged with ``trellis check --merge`` and compared with ``full_report`` (the
    unsharded check of the same tree). Goals: each shard <= 0.35x the unsharded check,
    merged findings identical; ``trellis --help`` <= 0.15 s (best of several runs,
    interpreter start included).
    """
    helps = []
    for _ in range(HELP_RUNS):
        start = time.perf_counter()
        subprocess.run([trellis, "--help"], env=env, capture_output=True, check=True)
        helps.append(time.perf_counter() - start)
    shard_times, reports = [], []
    for index in range(1, SHARDS + 1):
        shutil.rmtree(repo / ".trellis" / "cache", ignore_errors=True)
        report = tmp / f"shard-{index}.json"
        command = [trellis, "check", str(repo), "--no-render", f"--shard={index}/{SHARDS}"]
        shard_times.append(_timed([*command, "--format", "json", "--output", str(report)], env))
        reports.append(str(report))
    merged = subprocess.run(
        [trellis, "check", "--merge", *reports], env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    identical = merged.stdout == full_report.read_text(encoding="utf-8")
    worst = max(shard_times)
    return [
        (
            "trellis --help",
            f"{min(helps):8.3f} s",
            f"best of {HELP_RUNS}, median {statistics.median(helps):.3f} s (goal <= 0.15 s)",
        ),
        (
            f"trellis check --shard K/{SHARDS}, slowest",
            f"{worst:8.1f} s",
            f"{worst / full_s:.2f}x unsharded (goal <= 0.35x); shards "
            + ", ".join(f"{t:.1f}" for t in shard_times)
            + " s",
        ),
        (
            f"  {SHARDS} shards merged (--merge)",
            "identical" if identical else "DIFFERENT",
            "to the unsharded report (goal: identical)",
        ),
    ]


def main() -> None:
    """Render the tree, time every run, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blueprints", type=int, default=200, help="blueprints (x3 stacks)")
    args = parser.parse_args()
    checkov = _checkov()
    trellis = str(Path(sys.executable).with_name("trellis"))
    env = dict(os.environ, TRELLIS_CHECKOV=checkov, BC_SKIP_MAPPING="TRUE", NO_COLOR="1")
    with tempfile.TemporaryDirectory(prefix="trellis-bench-check-") as tmp:
        repo = generate(Path(tmp) / "repo", args.blueprints)
        render_repository(repo, cache_dir=Path(tmp) / "bundle-cache")
        build = repo / "build"
        stacks = len(discover_stacks(build))
        plain_s = _timed(
            [
                checkov,
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
                str(Path(tmp) / "plain"),
            ],
            env,
        )
        terraform_s, validates, plans = _terraform_alone(build, Path(tmp) / "tf-cache")
        check = [
            trellis,
            "check",
            str(repo),
            "--no-render",
            "--format",
            "json",
            "--output",
            str(Path(tmp) / "report.json"),
        ]
        shutil.rmtree(repo / ".trellis" / "cache", ignore_errors=True)
        tf_share_s = _timed([*check, "--only", "terraform_validate"], env)
        shutil.rmtree(repo / ".trellis" / "cache", ignore_errors=True)
        full_s = _timed(check, env)
        changed = build / "stg" / "pipeline-0000" / "main.tf"
        changed.write_text(changed.read_text(encoding="utf-8") + "\n# changed\n", "utf-8")
        again_s = _timed(check, env)
        sharded = shard_and_start_rows(
            trellis, repo, env, full_s, Path(tmp) / "report.json", Path(tmp)
        )

    alone = plain_s + terraform_s
    rows = [
        ("root stacks", f"{stacks}", ""),
        ("plain checkov over build/", f"{plain_s:8.1f} s", ""),
        ("plain terraform validate, every stack", f"{terraform_s:8.1f} s", ""),
        (
            "trellis check (cold cache)",
            f"{full_s:8.1f} s",
            f"{full_s / plain_s:.2f}x checkov (goal <= 1.30x)",
        ),
        (
            "  of which terraform_validate alone",
            f"{tf_share_s:8.1f} s",
            f"{tf_share_s / full_s:.0%} of the full check",
        ),
        ("trellis overhead over both tools", "", f"{full_s / alone - 1:+.0%} (goal <= +30%)"),
        (
            "re-check after one stack changed",
            f"{again_s:8.1f} s",
            f"{again_s / full_s:.3f}x full (goal <= 0.100x)",
        ),
        (
            "median validate per root stack",
            f"{statistics.median(validates):8.3f} s",
            f"{len(validates)} stacks (goal <= 0.5 s)",
        ),
        (
            "median plan per root stack",
            f"{statistics.median(plans):8.3f} s",
            f"{len(plans)} stacks (goal <= 0.5 s)",
        ),
        *sharded,
    ]
    width = max(len(r[0]) for r in rows)
    print(f"benchmarks/check.py: {args.blueprints} blueprints x 3 environments, rendered")
    for label, value, note in rows:
        print(f"  {label:<{width}}  {value:>10}  {note}")


if __name__ == "__main__":
    main()
