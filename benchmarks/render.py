"""Render benchmark: 200 generated blueprints × 3 environments, time and peak memory.

Prints a table with the wall time of each stage (load, resolve, derive, render of the
blueprint stacks, the bootstrap stack of each environment, the GitHub Actions workflows,
write), its share of the total, and the peak memory of the whole run. Stages are timed in one
process, one after the other, the median of several runs; compare ratios, not seconds,
on a shared machine.

Run: ``.venv/bin/python benchmarks/render.py [--blueprints 200] [--runs 3]``
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.blueprint.loader import load_repository
from generator.bundle import build_runtime_bundle
from generator.derive import derive_stack_roles
from generator.model.resolve import resolve
from generator.render.modules import module_files
from generator.render.pipeline import render_environment_stacks, render_workflow_files
from generator.render.stack import ARCHITECTURE, LAMBDA_PYTHON, render_stack
from generator.render.tree import MANIFEST, manifest
from generator.write.atomic import write_tree
from runtime.ingest.dedup_store import EXPIRES_AT
from tests.render.support import ENVIRONMENT, ingestion_blueprint, write_repo


def generate(root: Path, count: int) -> Path:
    """A repository of ``count`` ingestion blueprints and dev, stg and prd."""
    documents = []
    for index in range(count):
        document = ingestion_blueprint(f"pipeline-{index:04d}")
        if index % 2:
            document["spec"]["trigger"] = {"queue": {}}  # type: ignore[index]
        documents.append(document)
    environments = [
        {**ENVIRONMENT, "name": name, "account_id": account}
        for name, account in (
            ("dev", "111111111111"),
            ("stg", "222222222222"),
            ("prd", "333333333333"),
        )
    ]
    return write_repo(root, documents, environments)


def run_once(root: Path, out: Path, bundle: object) -> dict[str, float]:
    """Time each stage of one full render."""
    times: dict[str, float] = {}
    start = time.perf_counter()
    repository = load_repository(root)
    times["load"] = time.perf_counter() - start
    start = time.perf_counter()
    deployments = resolve(repository)
    times["resolve"] = time.perf_counter() - start
    start = time.perf_counter()
    roles = [derive_stack_roles(d) for d in deployments]
    times["derive"] = time.perf_counter() - start
    start = time.perf_counter()
    tree = module_files()
    for deployment, stack_roles in zip(deployments, roles, strict=True):
        tree.update(render_stack(deployment, stack_roles, bundle, EXPIRES_AT))
    times["render"] = time.perf_counter() - start
    start = time.perf_counter()
    tree.update(render_environment_stacks(deployments, tree))
    times["bootstrap"] = time.perf_counter() - start
    start = time.perf_counter()
    tree.update(render_workflow_files(deployments, set()))
    times["workflows"] = time.perf_counter() - start
    start = time.perf_counter()
    tree[MANIFEST] = manifest(tree)
    write_tree(tree, out)
    times["write"] = time.perf_counter() - start
    times["files"] = len(tree)
    return times


def main() -> None:
    """Generate, render several times, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blueprints", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="trellis-bench-render-"))
    try:
        root = generate(workdir / "repo", args.blueprints)
        bundle = build_runtime_bundle(
            workdir / "cache", python_version=LAMBDA_PYTHON, architecture=ARCHITECTURE
        )
        runs = [run_once(root, workdir / "build", bundle) for _ in range(args.runs)]
        tracemalloc.start()
        run_once(root, workdir / "build", bundle)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    stages = ["load", "resolve", "derive", "render", "bootstrap", "workflows", "write"]
    medians = {s: statistics.median(r[s] for r in runs) for s in stages}
    total = sum(medians.values())
    print(
        f"render: {args.blueprints} blueprints × 3 environments = {args.blueprints * 3} "
        f"root stacks + 3 bootstrap stacks + workflows, {int(runs[0]['files'])} files; "
        f"median of {args.runs} runs"
    )
    print(f"{'stage':<10}{'seconds':>10}{'share':>9}")
    for stage in stages:
        print(f"{stage:<10}{medians[stage]:>10.3f}{medians[stage] / total:>9.1%}")
    print(f"{'total':<10}{total:>10.3f}{'':>9}   goal ≤ 3 s")
    heap = peak / 1e6
    print(f"{'heap MB':<10}{heap:>10.1f}{'':>9}   peak Python heap of one render (tracemalloc)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'RSS MB':<10}{rss:>10.1f}{'':>9}   goal ≤ 400 MB (peak resident set, whole run)")


if __name__ == "__main__":
    main()
