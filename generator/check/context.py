"""What every validator receives: where the rendered tree is and which root stacks it holds.

Validators are functions ``run(context: CheckContext) -> list[Finding]`` in their own
module under :mod:`generator.check`. They read files under ``context.build_dir`` and
nothing else of the user's repository except ``policies/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from generator.check.sources import SourceFiles

NOT_ENVIRONMENTS = frozenset({"modules", "bundles"})
"""Top-level folders of ``build/`` that hold no environment's stacks."""


def stack_for_file(relative: str) -> str | None:
    """``<env>/<name>`` for a build-relative path inside a stack, ``None`` for shared files."""
    parts = relative.split("/")
    if len(parts) >= 3 and parts[0] not in NOT_ENVIRONMENTS and not parts[0].startswith("."):
        return f"{parts[0]}/{parts[1]}"
    return None


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
    ``elsewhere`` and ``repository_wide`` describe a sharded check (see :meth:`checks_file`
    and :mod:`generator.check.shards`); their defaults mean "the whole tree".
    """

    repo_root: Path
    build_dir: Path
    stacks: tuple[StackRef, ...]
    policy_dirs: tuple[Path, ...]
    cache_dir: Path
    jobs: int | None = None
    sources: SourceFiles = field(default_factory=SourceFiles, compare=False, repr=False)
    elsewhere: frozenset[str] = frozenset()
    repository_wide: bool = True

    def checks_file(self, relative: str) -> bool:
        """Whether this run checks the build-relative file ``relative``.

        Always, unless the check is one shard of several (``trellis check --shard``): then
        a stack's files belong to the shard that has the stack (``elsewhere`` lists the
        other shards' stacks) and files of no stack (modules, workflows) to shard 1, whose
        ``repository_wide`` is true. Each file is thus checked by exactly one shard.
        """
        key = stack_for_file(relative)
        if key is None:
            return self.repository_wide
        return key not in self.elsewhere and (self.repository_wide or key in self._stack_keys)

    @cached_property
    def _stack_keys(self) -> frozenset[str]:
        """The keys of this run's stacks, so :meth:`checks_file` is one lookup per file
        rather than a scan of every stack."""
        return frozenset(stack.key for stack in self.stacks)
