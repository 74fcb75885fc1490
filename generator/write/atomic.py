"""Write a rendered tree so that a failure never leaves a half-written ``build/``.

The tree goes to a fresh temporary directory next to the target; only when every file is
written is the old directory moved aside and the new one renamed into place (two renames
on one file system). If anything fails before the swap, the temporary directory is
removed and the previous output is untouched.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from generator.errors import UserError

FILE_MODE = 0o644
DIR_MODE = 0o755


def _write_all(tree: Mapping[PurePosixPath, bytes], target: Path) -> None:
    for relative, data in sorted(tree.items()):
        path = target.joinpath(*relative.parts)
        path.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
        path.write_bytes(data)
        path.chmod(FILE_MODE)


def write_tree(tree: Mapping[PurePosixPath, bytes], out: Path) -> None:
    """Replace ``out`` with exactly the files of ``tree``.

    Raises ``OSError`` when the parent directory is not writable or the disk is full,
    and :class:`UserError` when ``out`` is something other than a directory (a file the
    user meant to keep is never replaced by a tree); in every such case ``out`` is left
    as it was.
    """
    refuse_non_directory(out)
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        staging.chmod(DIR_MODE)
        _write_all(tree, staging)
        if out.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            out.replace(retired / out.name)
            try:
                staging.replace(out)
            except OSError:
                (retired / out.name).replace(out)  # put the previous output back
                raise
            shutil.rmtree(retired, ignore_errors=True)
        else:
            staging.replace(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def refuse_non_directory(out: Path) -> None:
    """Raise :class:`UserError` when ``out`` exists (or dangles) and is not a directory."""
    if (out.exists() or out.is_symlink()) and not out.is_dir():
        raise UserError.single(
            str(out),
            "is a file, not a directory: trellis writes a directory there and never replaces "
            "a file",
            hint="pass --out with a directory path, or move the file away",
            code="io.not-a-directory",
        )


def read_tree(root: Path) -> dict[PurePosixPath, bytes]:
    """Every file under ``root`` (for drift checks and partial renders)."""
    if not root.is_dir():
        return {}
    return {
        PurePosixPath(path.relative_to(root).as_posix()): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def drift(tree: Mapping[PurePosixPath, bytes], out: Path) -> list[tuple[str, str]]:
    """Files that differ between ``tree`` and ``out``: ``(path, "changed"|"missing"|"extra")``.

    ``missing`` means rendering would add the file; ``extra`` that it is on disk but would
    be removed. ``out`` holds only what render writes (plans, reviews and schemas live
    in ``.trellis/``), so every other file is ``extra``.
    """
    on_disk = read_tree(out)
    result = []
    for path in sorted(set(tree) | set(on_disk)):
        if path not in on_disk:
            result.append((str(path), "missing"))
        elif path not in tree:
            result.append((str(path), "extra"))
        elif tree[path] != on_disk[path]:
            result.append((str(path), "changed"))
    return result
