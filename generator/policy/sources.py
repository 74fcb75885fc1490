"""Where trellis' own policies and reviewed skips live, and which checkov is used.

trellis ships ``policies/checkov/`` (our ``CKV_TRL_`` checks) and ``policies/skips.yaml``
beside the ``generator`` package. A user's repository may add its own ``policies/checkov``
and further directories with ``--policies``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from generator.builtin_policies import builtin_policies_dir
from generator.errors import UserError

BUILTIN_POLICY_DIR = builtin_policies_dir() / "checkov"
CHECKOV_ENV = "TRELLIS_CHECKOV"


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


def find_checkov(explicit: str | None = None) -> Path:
    """The checkov executable: ``explicit`` (``--checkov``), then ``$TRELLIS_CHECKOV``, then
    PATH. ``make install`` builds it in ``.venv-checkov`` and the Makefile exports
    ``TRELLIS_CHECKOV``; checkov lives in its own virtual environment because its
    bc-python-hcl2 installs a module named ``hcl2`` that would shadow python-hcl2.

    Raises :class:`UserError` naming the three ways when none of them leads to a file.
    """
    for source, value in (("--checkov", explicit), (CHECKOV_ENV, os.environ.get(CHECKOV_ENV))):
        if value:
            path = Path(value)
            if path.is_file():
                return path
            raise UserError.single(
                value,
                f"checkov not found at the path given by {source}",
                hint="point it at the checkov executable, e.g. .venv-checkov/bin/checkov",
            )
    found = shutil.which("checkov")
    if found:
        return Path(found)
    raise UserError.single(
        "checkov",
        "checkov is not installed where trellis looks for it",
        hint="`make install` creates .venv-checkov; then pass --checkov PATH, set "
        f"{CHECKOV_ENV}=PATH, or put checkov on PATH",
    )
