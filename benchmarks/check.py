"""Benchmark `trellis check` against plain checkov over the same tree, and a re-check.

Prints one table: the time of a cold `trellis check --no-render` over many root stacks,
the time of plain checkov (same checks: built-in plus policies/checkov) over the same
`build/`, and the time of a re-check after one stack changed. Goals: full check at most
1.3x checkov alone; re-check at most 0.1x the full check.

Until the renderer is merged the tree is the hand-written test tree
(`tests/check/trees/basic`) replicated under new blueprint names; `make_tree` is the one
function to swap for the real renderer (render N blueprints x 3 environments into
`<repo>/build`).

    .venv/bin/python benchmarks/check.py --blueprints 200     # 600 stacks
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASIC = ROOT / "tests" / "check" / "trees" / "basic" / "build"
ENVIRONMENTS = ("dev", "stg", "prd")
TrellisTree = Callable[[Path, int], int]


def replicate_test_tree(repo: Path, blueprints: int) -> int:
    """Write `blueprints` x 3 stacks into `<repo>/build`; returns the number of stacks.

    Each stack is the test tree's `orders` stack (dev variant for dev and stg, prd variant
    for prd) with every name changed, all calling the same shared modules.
    """
    build = repo / "build"
    shutil.copytree(BASIC / "modules", build / "modules")
    for index in range(blueprints):
        name = f"bp{index:03d}"
        for env in ENVIRONMENTS:
            source = BASIC / ("prd" if env == "prd" else "dev") / "orders"
            target = build / env / name
            shutil.copytree(source, target)
            for path in target.rglob("*"):
                if path.is_file():
                    text = path.read_text(encoding="utf-8")
                    text = text.replace("orders", name).replace(
                        f"-{'prd' if env == 'prd' else 'dev'}", f"-{env}"
                    )
                    path.write_text(text, encoding="utf-8")
    return blueprints * len(ENVIRONMENTS)


make_tree: TrellisTree = replicate_test_tree


def _checkov() -> str:
    found = os.environ.get("TRELLIS_CHECKOV") or shutil.which("checkov")
    default = ROOT / ".venv-checkov" / "bin" / "checkov"
    return found or str(default)


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command[:3])} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return elapsed, done.returncode


def main() -> None:
    """Build the tree, time the three runs, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blueprints", type=int, default=200, help="blueprints (x3 stacks)")
    args = parser.parse_args()
    checkov = _checkov()
    trellis = str(Path(sys.executable).with_name("trellis"))
    env = dict(os.environ, TRELLIS_CHECKOV=checkov, BC_SKIP_MAPPING="TRUE", NO_COLOR="1")
    with tempfile.TemporaryDirectory(prefix="trellis-bench-") as tmp:
        repo = Path(tmp) / "repo"
        repo.mkdir()
        stacks = make_tree(repo, args.blueprints)
        report = Path(tmp) / "report.json"
        check = [
            trellis,
            "check",
            str(repo),
            "--no-render",
            "--format",
            "json",
            "--output",
            str(report),
        ]
        plain = [
            checkov,
            "-d",
            str(repo / "build"),
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
        ]
        plain_s, _ = _timed(plain, env)
        full_s, _ = _timed(check, env)
        changed = repo / "build" / "stg" / "bp000" / "main.tf"
        changed.write_text(changed.read_text(encoding="utf-8") + "\n# changed\n", "utf-8")
        again_s, _ = _timed(check, env)

    rows = [
        ("root stacks", f"{stacks}", ""),
        ("plain checkov over build/", f"{plain_s:8.1f} s", ""),
        (
            "trellis check (cold cache)",
            f"{full_s:8.1f} s",
            f"{full_s / plain_s:.2f}x checkov (goal <= 1.30x)",
        ),
        (
            "re-check after one stack changed",
            f"{again_s:8.1f} s",
            f"{again_s / full_s:.3f}x full (goal <= 0.100x)",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"benchmarks/check.py: {args.blueprints} blueprints x {len(ENVIRONMENTS)} environments")
    for label, value, note in rows:
        print(f"  {label:<{width}}  {value:>10}  {note}")


if __name__ == "__main__":
    main()
