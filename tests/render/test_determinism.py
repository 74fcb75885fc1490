"""Render twice, into two directories, with two bundle builds: byte-identical output."""

from __future__ import annotations

import os
from pathlib import Path

from generator.pipeline import render_repository
from generator.write.atomic import read_tree
from tests.render.support import ROOT


def test_two_renders_with_two_bundle_builds_are_identical(tmp_path: Path) -> None:
    """Everything under build/, the zip included, is the same bytes the second time,
    although the runtime's files carry other modification times and the bundle is built
    from scratch in another cache."""
    first = tmp_path / "first"
    render_repository(ROOT, out=first, cache_dir=tmp_path / "cache-1")
    sources = sorted((ROOT / "runtime").rglob("*.py"))
    times = {source: source.stat() for source in sources}
    try:
        for source, stat in times.items():  # an hour older: a zip storing mtimes would differ
            os.utime(source, (stat.st_atime, stat.st_mtime - 3600))
        second = tmp_path / "second"
        render_repository(ROOT, out=second, cache_dir=tmp_path / "cache-2")
    finally:
        for source, stat in times.items():
            os.utime(source, (stat.st_atime, stat.st_mtime))
    one, two = read_tree(first), read_tree(second)
    assert sorted(one) == sorted(two)
    assert [p for p in one if one[p] != two[p]] == []
    assert any(p.parts[0] == "bundles" for p in one)
