"""Median offline ``terraform validate`` and ``plan`` time per root stack (a table).

Usage: ``python benchmarks/offline_terraform.py [BUILD_DIR] [--runs N]``. Without a build
directory it uses the realistic stacks of ``tests/offline_provider/stacks`` (copied to a
temporary directory with their Lambda bundle). Each stack is validated and planned
``--runs`` times through one session (provider served once, Terraform reattaching), then
once more through a session where Terraform starts the provider itself (the launcher in
the generated CLI configuration), to show what serving once saves.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from generator.check.stacks import discover_stacks  # noqa: E402
from generator.offline_provider import OfflineSession, plan_stack, validate_stack  # noqa: E402
from generator.offline_provider.workspace import scan_stack  # noqa: E402


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> int:
    """Print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("build_dir", nargs="?", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        build_dir = args.build_dir
        if build_dir is None:
            import os

            from tests.offline_provider.conftest import ENV_VAR, find_shared_schema, write_tree

            found = find_shared_schema(REPO_ROOT)
            if found is not None:
                os.environ.setdefault(ENV_VAR, str(found))
            build_dir = write_tree(Path(scratch) / "build")
        stacks = discover_stacks(build_dir)
        cache = Path(scratch) / "cache"
        out = Path(scratch) / "plans"
        start = time.perf_counter()
        with OfflineSession([scan_stack(s.path) for s in stacks], cache) as session:
            startup = time.perf_counter() - start
            rows = []
            for stack in stacks:
                validate = [
                    _timed(
                        lambda s=stack: validate_stack(s.path, session=session, build_dir=build_dir)
                    )
                    for _ in range(args.runs)
                ]
                plan = [
                    _timed(
                        lambda s=stack: plan_stack(
                            s.path, out / s.key, session=session, build_dir=build_dir
                        )
                    )
                    for _ in range(args.runs)
                ]
                rows.append((stack.key, statistics.median(validate), statistics.median(plan)))
        start = time.perf_counter()
        with OfflineSession([scan_stack(stacks[0].path)], cache, attach=False) as managed:
            managed_startup = time.perf_counter() - start
            managed_validate = _timed(
                lambda: validate_stack(stacks[0].path, session=managed, build_dir=build_dir)
            )
    print(f"offline Terraform, median of {args.runs} runs per stack")
    print(f"{'root stack':<24} {'validate s':>11} {'plan s':>8}")
    for key, validate_s, plan_s in rows:
        print(f"{key:<24} {validate_s:>11.3f} {plan_s:>8.3f}")
    print(f"{'session start (once)':<24} {startup:>11.3f}")
    print(
        f"without reattaching: start {managed_startup:.3f} s, validate of {stacks[0].key} "
        f"{managed_validate:.3f} s (Terraform starts the provider for each instance)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
