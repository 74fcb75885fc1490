"""Golden snapshots: every rendered file of every example × environment, reviewed as code."""

from __future__ import annotations

import difflib

from tests.render.support import SNAPSHOT_DIR, render_repo, snapshot_files


def test_render_matches_the_golden_files() -> None:
    """The render equals tests/snapshots/render/ byte for byte (regenerate: make snapshots)."""
    rendered = {str(p): d for p, d in snapshot_files(render_repo()).items()}
    on_disk = {
        p.relative_to(SNAPSHOT_DIR).as_posix(): p.read_bytes()
        for p in sorted(SNAPSHOT_DIR.rglob("*"))
        if p.is_file()
    }
    assert sorted(rendered) == sorted(on_disk), "files added or removed: run make snapshots"
    diffs = []
    for name in sorted(rendered):
        if rendered[name] != on_disk[name]:
            diffs.extend(
                difflib.unified_diff(
                    on_disk[name].decode().splitlines(),
                    rendered[name].decode().splitlines(),
                    f"snapshot/{name}",
                    f"rendered/{name}",
                    lineterm="",
                )
            )
    assert not diffs, "\n".join(diffs[:200])
