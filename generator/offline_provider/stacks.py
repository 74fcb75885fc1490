"""Finding the root stacks of a rendered tree: ``build/<env>/<name>/`` with ``.tf`` files.

What can go wrong: :class:`UserError` when ``build/`` does not exist (render first) or an
``--env`` names an environment the tree does not have.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

from generator.check.context import StackRef
from generator.errors import UserError

_NOT_ENVIRONMENTS: Final = frozenset({"modules", "bundles"})


def discover(build_dir: Path, envs: Sequence[str] = ()) -> list[StackRef]:
    """Every root stack under ``build_dir``, sorted, limited to ``envs`` when given."""
    if not build_dir.is_dir():
        raise UserError.single(
            str(build_dir),
            "no rendered tree here",
            hint="run `trellis render` first; it writes build/<env>/<blueprint>/",
            code="missing",
        )
    available = sorted(
        p.name
        for p in build_dir.iterdir()
        if p.is_dir() and p.name not in _NOT_ENVIRONMENTS and not p.name.startswith(".")
    )
    unknown = sorted(set(envs) - set(available))
    if unknown:
        raise UserError.single(
            str(build_dir),
            f"no rendered environment {', '.join(unknown)}",
            hint=f"choose from: {', '.join(available) or '(none rendered)'}",
            code="unknown_env",
        )
    chosen = envs or available
    return sorted(
        StackRef(env=env, name=stack.name, path=stack)
        for env in chosen
        for stack in (build_dir / env).iterdir()
        if stack.is_dir() and any(stack.glob("*.tf"))
    )
