"""Regenerate every golden file under tests/snapshots/ (run: ``make snapshots``).

Review the resulting ``git diff`` like code: it is exactly what users will see change.
"""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from generator.cli.main import cli
from tests.platform import regenerate as platform_snapshots
from tests.render.support import ROOT, SNAPSHOT_DIR, render_repo, snapshot_files

GRAPH_DIR = ROOT / "tests" / "snapshots" / "graphs"


def main() -> None:
    """Write the render and graph snapshots of the example repository."""
    shutil.rmtree(SNAPSHOT_DIR, ignore_errors=True)
    for path, data in snapshot_files(render_repo()).items():
        target = SNAPSHOT_DIR.joinpath(*path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    GRAPH_DIR.mkdir(parents=True, exist_ok=True)
    for blueprint in ("citizen-login", "events", "orders", "portal"):
        result = CliRunner().invoke(cli, ["graph", blueprint, str(ROOT), "--env", "prd"])
        (GRAPH_DIR / f"{blueprint}.mmd").write_text(result.output, encoding="utf-8")
    platform_snapshots.main()
    print(f"snapshots written under {SNAPSHOT_DIR.parent}")


if __name__ == "__main__":
    main()
