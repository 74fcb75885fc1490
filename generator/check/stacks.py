"""Find the root stacks of a rendered tree and the local modules each one uses.

The renderer writes one root stack per environment and blueprint at
``build/<env>/<name>/*.tf`` and shared modules at ``build/modules/<module>/``. Everything
else under ``build/`` (``bundles/``, ``.github/``, ``manifest.json``) holds no stack.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from generator.check.context import NOT_ENVIRONMENTS, StackRef, stack_for_file
from generator.errors import UserError

__all__ = ["NOT_ENVIRONMENTS", "discover_stacks", "local_module_dirs", "stack_for_file"]

# `source = "../../modules/queue"` inside a module block; only local paths are followed,
# registry and git sources are never fetched (checks run offline).
_LOCAL_SOURCE = re.compile(r'^\s*source\s*=\s*"(\.{1,2}/[^"]*)"', re.MULTILINE)


def discover_stacks(build_dir: Path, envs: Iterable[str] = ()) -> tuple[StackRef, ...]:
    """Every ``<env>/<name>`` directory under ``build_dir`` that holds ``*.tf`` files, sorted.

    ``envs`` restricts the result to those environments. Raises :class:`UserError` when
    ``build_dir`` is missing or when an environment asked for has no stacks, naming the
    environments that do.
    """
    if not build_dir.is_dir():
        raise UserError.single(
            build_dir.as_posix(),
            "no rendered tree here",
            hint="run `trellis render` first; it writes build/<env>/<blueprint>/ "
            "(`trellis check` without --no-render renders for you)",
        )
    stacks: list[StackRef] = []
    for env_dir in sorted(p for p in build_dir.iterdir() if p.is_dir()):
        if env_dir.name in NOT_ENVIRONMENTS or env_dir.name.startswith("."):
            continue
        for stack_dir in sorted(p for p in env_dir.iterdir() if p.is_dir()):
            if any(stack_dir.glob("*.tf")):
                stacks.append(StackRef(env=env_dir.name, name=stack_dir.name, path=stack_dir))
    wanted = list(dict.fromkeys(envs))
    if wanted:
        present = sorted({s.env for s in stacks})
        missing = [env for env in wanted if env not in present]
        if missing:
            raise UserError.single(
                build_dir.as_posix(),
                f"no stacks for environment {', '.join(repr(m) for m in missing)}",
                hint=f"environments in this tree: {', '.join(present) or 'none'}",
            )
        stacks = [s for s in stacks if s.env in wanted]
    return tuple(stacks)


def local_module_dirs(stack_dir: Path, sources: dict[Path, list[Path]] | None = None) -> list[Path]:
    """Directories of every local module ``stack_dir`` uses, directly or through other modules.

    Sorted and de-duplicated (resolved paths). A ``source`` that points at a directory
    that does not exist is ignored here; the config loader reports it. With ``sources``
    (one run's memo of each directory's direct module directories), a module shared by
    many stacks is read once per run instead of once per stack.
    """
    memo: dict[Path, list[Path]] = {} if sources is None else sources
    root = stack_dir.resolve()
    seen: set[Path] = set()
    pending = [root]
    while pending:
        for target in _direct_module_dirs(pending.pop(), memo):
            if target not in seen and target != root:
                seen.add(target)
                pending.append(target)
    return sorted(seen)


def _direct_module_dirs(directory: Path, memo: dict[Path, list[Path]]) -> list[Path]:
    if directory not in memo:
        found: list[Path] = []
        for tf_file in sorted(directory.glob("*.tf")):
            for source in _LOCAL_SOURCE.findall(tf_file.read_text(encoding="utf-8")):
                target = (directory / source).resolve()
                if target.is_dir():
                    found.append(target)
        memo[directory] = found
    return memo[directory]
