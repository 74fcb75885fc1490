"""Where trellis' own policies and reviewed skips live, and which checkov is used.

trellis ships ``policies/checkov/`` (our ``CKV_TRL_`` checks) and ``policies/skips.yaml``
beside the ``generator`` package. A user's repository may add its own ``policies/checkov``
and further directories with ``--policies``.
"""

from __future__ import annotations

from pathlib import Path

from generator.builtin_policies import builtin_policies_dir
from generator.errors import UserError

BUILTIN_POLICY_DIR = builtin_policies_dir() / "checkov"
CHECKOV_ENV = "TRELLIS_CHECKOV"  # the one name: generator.tools.catalogue.CHECKOV.env_var


def policy_dirs(repo_root: Path, extra: tuple[Path, ...]) -> tuple[Path, ...]:
    """trellis' policies, then the repository's ``policies/checkov`` if any, then ``extra``.

    Raises :class:`UserError` for an ``extra`` directory that does not exist.
    """
    dirs: list[Path] = []
    candidates = [BUILTIN_POLICY_DIR, repo_root / "policies" / "checkov"]
    for candidate in candidates:
        if candidate.is_dir() and candidate.resolve() not in [d.resolve() for d in dirs]:
            dirs.append(candidate)
    for directory in extra:
        if not directory.is_dir():
            raise UserError.single(
                directory.as_posix(),
                "--policies names a directory that does not exist",
                hint="pass a directory of checkov checks (*.py with an __init__.py, or *.yaml)",
            )
        if directory.resolve() not in [d.resolve() for d in dirs]:
            dirs.append(directory)
    return tuple(dirs)


def find_checkov(explicit: str | None = None, repo_root: Path | None = None) -> Path:
    """The checkov executable, resolved as every command resolves it
    (:mod:`generator.tools.resolve`): ``explicit`` (``--checkov``), ``$TRELLIS_CHECKOV``,
    the project's ``.venv-checkov`` (from ``repo_root`` up), the trellis tools cache, PATH.

    Raises :class:`UserError` with the fix (``trellis tools install checkov``, or the flag,
    the variable, PATH) when none of them leads to a file.
    """
    from generator.tools import CHECKOV, require

    return require(CHECKOV, explicit=explicit, repo_root=repo_root).path
