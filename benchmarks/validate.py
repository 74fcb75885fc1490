"""How long load and resolve take for a large repository: 200 blueprints × 3 environments.

Generates the repository in a temporary directory from the example blueprints (renamed,
every kind represented, environments overriding a quarter of the blueprints), then times
several runs and prints the median of each stage (stages timed back to back in each
run, so a busy machine slows them alike):

    YAML parsing      read_yaml of every file (strict reader, positions)
    model validation  pydantic models and cross-file rules (load minus parsing)
    resolve           overrides merged and re-validated, names and ARNs derived
    total             generator.pipeline.load_and_resolve, end to end

Goal: total well under one second. Run: .venv/bin/python benchmarks/validate.py [RUNS]
"""

from __future__ import annotations

import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from generator.blueprint.loader import Repository, collect_repository
from generator.blueprint.yaml_source import read_yaml
from generator.errors import Diagnostic
from generator.model.resolve import resolve
from generator.pipeline import load_and_resolve

PROJECT = Path(__file__).resolve().parents[1]
BLUEPRINTS = 200
ENVIRONMENTS = ("dev", "stg", "prd")
TEMPLATES = ("orders", "events", "citizen-login", "portal")


def generate(root: Path) -> None:
    """Write 200 blueprints (50 of each example, renamed) and three environments."""
    (root / "blueprints").mkdir()
    (root / "environments").mkdir()
    texts = {t: (PROJECT / "blueprints" / f"{t}.yaml").read_text() for t in TEMPLATES}
    overrides = []
    for index in range(BLUEPRINTS):
        template = TEMPLATES[index % len(TEMPLATES)]
        group = index // len(TEMPLATES)
        name = f"{template}-{group:03d}"
        text = texts[template].replace(f"name: {template}\n", f"name: {name}\n", 1)
        if template == "portal":
            text = text.replace("auth_flow: citizen-login", f"auth_flow: citizen-login-{group:03d}")
        (root / "blueprints" / f"{name}.yaml").write_text(text)
        if template == "orders":
            overrides.append(
                f"  {name}:\n    processing: {{memory_mb: 512, max_concurrency: 20}}\n"
            )
    for number, env in enumerate(ENVIRONMENTS, start=1):
        (root / "environments" / f"{env}.yaml").write_text(
            f"name: {env}\n"
            f'account_id: "{str(number) * 12}"\n'
            "region: ap-southeast-1\n"
            "github: {repository: acme/data-platform}\n"
            "log: {level: INFO, retention_days: 365}\n"
            "overrides:\n" + "".join(overrides)
        )


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall time and CPU time of one call of ``action``, in seconds.

    On a shared machine the wall time includes waiting for a core; the CPU time is the
    work itself, and is what the shares are computed from.
    """
    gc.collect()  # start each stage with no garbage left over from the previous one
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    """Generate the repository, time each stage, print the table."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        generate(root)
        files = sorted([*root.glob("blueprints/*.yaml"), *root.glob("environments/*.yaml")])
        raw = [(f.relative_to(root).as_posix(), f.read_bytes()) for f in files]

        def parse() -> None:
            for name, data in raw:
                read_yaml(name, data)

        def load() -> Repository:
            errors: list[Diagnostic] = []
            repository = collect_repository(root, (), errors)
            assert not errors, errors
            return repository

        repository = load()
        deployments = resolve(repository)
        assert len(deployments) == BLUEPRINTS * len(ENVIRONMENTS)

        # Each run times every stage back to back, so all stages see the same machine load.
        samples: list[list[tuple[float, float]]] = []
        for _ in range(runs + 1):  # the first run warms caches and is dropped
            samples.append(
                [
                    timed(parse),
                    timed(load),
                    timed(lambda: resolve(repository)),
                    timed(lambda: load_and_resolve(root)),
                ]
            )
    wall = [statistics.median(run[i][0] for run in samples[1:]) for i in range(4)]
    cpu = [statistics.median(run[i][1] for run in samples[1:]) for i in range(4)]
    # Model validation is loading minus parsing (the loader parses, then validates).
    rows = [
        ("YAML parsing", wall[0], cpu[0]),
        ("model validation", max(wall[1] - wall[0], 0.0), max(cpu[1] - cpu[0], 0.0)),
        ("resolve", wall[2], cpu[2]),
    ]
    print(
        f"load + resolve: {BLUEPRINTS} blueprints × {len(ENVIRONMENTS)} environments "
        f"= {len(deployments)} deployments, median of {runs} runs\n"
    )
    print(f"{'stage':<18} {'cpu ms':>8} {'share':>7} {'wall ms':>8}")
    print(f"{'-' * 18} {'-' * 8} {'-' * 7} {'-' * 8}")
    parts = sum(c for _, _, c in rows) or 1.0
    for label, wall_seconds, cpu_seconds in rows:
        print(
            f"{label:<18} {cpu_seconds * 1000:>8.1f} {cpu_seconds / parts:>7.0%} "
            f"{wall_seconds * 1000:>8.1f}"
        )
    print(f"{'-' * 18} {'-' * 8} {'-' * 7} {'-' * 8}")
    print(f"{'total (pipeline)':<18} {cpu[3] * 1000:>8.1f} {'':>7} {wall[3] * 1000:>8.1f}")
    verdict = "within" if wall[3] < 1.0 else "OVER"
    print(f"\ngoal: well under 1 s; wall {wall[3]:.3f} s is {verdict} it (cpu {cpu[3]:.3f} s)")


if __name__ == "__main__":
    main()
