"""Benchmark: `trellis review` on a generated 100 MB plan against `json.load` of the same file.

Generates a plan of about 100 MB (``--megabytes``) in a temporary directory with the
fixture builder of the tests (every section Terraform writes, sensitive and unknown
values, creates, updates, replaces, no-ops), then runs, each in a fresh interpreter so
peak memory is its own: ``json.load`` of the file, and the review (checkov off: checkov is
a separate tool with its own cost) rendered to Markdown and JSON. Prints a table with the
best wall time of ``--runs`` runs and their spread (slowest minus best: on a shared
machine the best run is the least disturbed one), the ratio of the best times to
``json.load``'s (goal: at most 2x) and the peak resident memory. Not a pass/fail test.

    .venv/bin/python benchmarks/review.py [--megabytes 100] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.review.planbuilder import write_large_plan  # noqa: E402  (needs the path above)

STEPS = {
    "python startup (baseline)": "pass",
    "json.load": "import json\nwith open(PLAN, encoding='utf-8') as f:\n    json.load(f)",
    "trellis review (markdown + json)": (
        "from generator.review import render_json, render_markdown, review_plans\n"
        "review = review_plans([PLAN], run_checkov=False)\n"
        "md = render_markdown(review)\n"
        "js = render_json(review)\n"
    ),
}
TIMER = (
    "import sys, time\nPLAN = sys.argv[1]\nstart = time.perf_counter()\n{code}\n"
    "print(time.perf_counter() - start)\n"
)


def run(code: str, plan: Path) -> tuple[float, float]:
    """(seconds inside the child, peak RSS of the child in MB)."""
    process = subprocess.Popen(
        [sys.executable, "-c", TIMER.format(code=code), str(plan)],
        stdout=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"benchmark step failed with exit code {process.returncode}")
    return float(output.decode().strip()), usage.ru_maxrss / 1024


def main() -> None:
    """Generate the plan, time every step, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="trellis-review-bench-") as tmp:
        plan = Path(tmp) / "dev" / "large" / "plan.json"
        started = time.perf_counter()
        size, changes = write_large_plan(plan, args.megabytes * 1_000_000)
        generated = time.perf_counter() - started
        print(
            f"plan: {size / 1e6:.1f} MB, {changes} resource changes "
            f"(generated in {generated:.1f} s); best of {args.runs} runs, spread = slowest - best\n"
        )
        results = {}
        for name, code in STEPS.items():
            times, peaks = zip(*(run(code, plan) for _ in range(args.runs)), strict=True)
            results[name] = (min(times), max(times) - min(times), max(peaks))
        baseline = results["json.load"][0]
        print(
            f"| {'step':<34} | {'best (s)':>9} | {'spread (s)':>10} | {'x json.load':>11} "
            f"| {'peak RSS (MB)':>13} |"
        )
        print(f"| {'-' * 34} | {'-' * 9}:| {'-' * 10}:| {'-' * 11}:| {'-' * 13}:|")
        for name, (seconds, spread, peak) in results.items():
            print(
                f"| {name:<34} | {seconds:>9.2f} | {spread:>10.2f} | {seconds / baseline:>11.2f} "
                f"| {peak:>13.0f} |"
            )


if __name__ == "__main__":
    main()
