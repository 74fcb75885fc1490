"""The write stage: all or nothing, and drift reported file by file."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from generator.errors import UserError
from generator.write import atomic
from generator.write.atomic import drift, read_tree, write_tree


def _tree(**files: str) -> dict[PurePosixPath, bytes]:
    return {PurePosixPath(name.replace("__", "/")): text.encode() for name, text in files.items()}


def test_write_replaces_the_whole_directory(tmp_path: Path) -> None:
    """Files from an earlier render that are no longer rendered disappear."""
    out = tmp_path / "build"
    write_tree(_tree(a__x_tf="1", b__y_tf="2"), out)
    write_tree(_tree(a__x_tf="3"), out)
    assert read_tree(out) == _tree(a__x_tf="3")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_files_have_fixed_modes(tmp_path: Path) -> None:
    """Written files are 0644 whatever the umask."""
    out = tmp_path / "build"
    write_tree(_tree(a__x_tf="1"), out)
    assert (out / "a" / "x_tf").stat().st_mode & 0o777 == 0o644


def test_a_failure_leaves_the_previous_output_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When writing fails half-way, the old build/ is untouched and no temp dir remains."""
    out = tmp_path / "build"
    write_tree(_tree(a__x_tf="old"), out)
    calls = 0
    real = atomic._write_all

    def fail_after_first_file(tree: dict[PurePosixPath, bytes], target: Path) -> None:
        nonlocal calls
        calls += 1
        first = dict(list(tree.items())[:1])
        real(first, target)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic, "_write_all", fail_after_first_file)
    with pytest.raises(OSError, match="No space"):
        write_tree(_tree(a__x_tf="new", b__y_tf="new"), out)
    assert calls == 1
    assert read_tree(out) == _tree(a__x_tf="old")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_drift_lists_changed_missing_and_extra_files(tmp_path: Path) -> None:
    """Drift names each differing file and how it differs."""
    out = tmp_path / "build"
    write_tree(_tree(same="s", changed="old", extra="e"), out)
    assert drift(_tree(same="s", changed="new", missing="m"), out) == [
        ("changed", "changed"),
        ("extra", "extra"),
        ("missing", "missing"),
    ]
    assert drift(_tree(same="s", changed="old", extra="e"), out) == []


def test_any_file_render_did_not_write_is_drift(tmp_path: Path) -> None:
    """build/ holds only what render writes: a plan or review left there is extra (they
    belong in .trellis/), so `render --check` says render would remove it."""
    out = tmp_path / "build"
    write_tree(_tree(dev__orders__main_tf="x"), out)
    (out / "dev" / "orders" / "plan.json").write_text("{}")
    (out / "review.md").write_text("# review")
    assert drift(_tree(dev__orders__main_tf="x"), out) == [
        ("dev/orders/plan.json", "extra"),
        ("review.md", "extra"),
    ]


@pytest.mark.parametrize("kind", ["file", "dangling symlink"])
def test_an_output_path_that_is_not_a_directory_is_refused(tmp_path: Path, kind: str) -> None:
    """A regular file (or a dangling link) where the output directory goes is refused with
    a fix and left exactly as it was; nothing is staged beside it."""
    out = tmp_path / "build"
    if kind == "file":
        out.write_text("my notes\n")
    else:
        out.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UserError) as caught:
        write_tree(_tree(a__x_tf="1"), out)
    (diagnostic,) = caught.value.diagnostics
    assert "is a file, not a directory" in diagnostic.message
    assert diagnostic.hint == "pass --out with a directory path, or move the file away"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]
    if kind == "file":
        assert out.read_text() == "my notes\n"
    else:
        assert out.is_symlink()
