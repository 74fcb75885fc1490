"""What every validator receives: where the rendered tree is and which root stacks it holds.

Validators are functions ``run(context: CheckContext) -> list[Finding]`` in their own
module under :mod:`generator.check`. They read files under ``context.build_dir`` and
nothing else of the user's repository except ``policies/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.check.sources import SourceFiles


@dataclass(frozen=True, order=True)
class StackRef:
    """One root stack on disk: ``build/<env>/<name>`` (``name`` is a blueprint or ``bootstrap``)."""

    env: str
    name: str
    path: Path

    @property
    def key(self) -> str:
        """``<env>/<name>``: how findings and reports name the stack."""
        return f"{self.env}/{self.name}"


@dataclass(frozen=True)
class CheckContext:
    """Inputs shared by all validators.

    ``policy_dirs`` are the checkov policy directories beyond the built-in checks, in order:
    the repository's ``policies/checkov`` first, then each ``--policies`` directory.
    ``cache_dir`` survives between runs (it is outside ``build/``, which is replaced whole
    on every render) and is where validators keep results keyed by content hash.
    ``jobs`` is how many processes the check may run at once (``--jobs``; ``None``: the
    CPUs available to the process). ``sources`` is this run's shared memory of file
    contents and python-hcl2 parses, so each distinct ``.tf`` text is parsed once per run
    whichever validators read it.
    """

    repo_root: Path
    build_dir: Path
    stacks: tuple[StackRef, ...]
    policy_dirs: tuple[Path, ...]
    cache_dir: Path
    jobs: int | None = None
    sources: SourceFiles = field(default_factory=SourceFiles, compare=False, repr=False)
