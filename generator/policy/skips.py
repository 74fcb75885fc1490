"""The one reviewed table of skipped checkov built-in checks: ``policies/skips.yaml``.

Each entry says which built-in check is skipped, why, and on exactly which blocks of
which modules. The renderer writes ``#checkov:skip=ID:reason`` into those blocks when it
copies the modules to ``build/modules/``; ``trellis check`` lists every skip checkov
applied with its reason and flags any skip comment that is not backed by an entry here.
A skip never covers a whole resource type: a wildcard in a function's policy must still
fail even though key policies are allowed their ``Resource "*"``.

File format::

    skips:
      - id: CKV_AWS_117                  # a checkov built-in check id
        reason: functions reach only public AWS endpoints; no VPC resources
        resources:                       # <module>/<block address> in generator/modules
          - lambda_function/aws_lambda_function.this
          # stack/<block address> names a block in a root stack (hand-written trees)

The file is read through the one reviewed-YAML loader
(:mod:`generator.blueprint.reviewed_yaml`). What can go wrong (each raises
:class:`UserError` with file, line, field, value and a fix): the file is not strict YAML
or is empty, an entry misses ``id``, ``reason`` or ``resources``, an id is malformed,
names one of our own ``CKV_TRL_`` policies (fix the output instead) or appears twice, a
reason is empty or spans lines, a block is malformed or none is listed, or a key is
unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator

from generator.blueprint.kinds.common import StrictModel, rule_error
from generator.blueprint.reviewed_yaml import Reviewed, load_reviewed_file
from generator.builtin_policies import builtin_policies_dir
from generator.errors import Diagnostic, UserError

SKIPS_FILE = Path("policies") / "skips.yaml"
_CHECK_ID = re.compile(r"^CKV2?_[A-Z0-9]+_[0-9]+$")
_SCOPE = re.compile(r"^[a-z0-9_]+/(data\.)?[a-z][a-z0-9_]*\.[a-z0-9_]+$")
ROOT_STACK = "stack"
"""The scope prefix for a block written in a root stack rather than in a module."""
_SCOPE_EXAMPLE = (
    "for example [lambda_function/aws_lambda_function.this, "
    "kms_key/data.aws_iam_policy_document.key]"
)


@dataclass(frozen=True, order=True)
class Skip:
    """One reviewed skip: the check, the reason shown to reviewers, the resource types."""

    id: str
    reason: str
    resources: tuple[str, ...] = ()

    def covers(self, file: str, resource_address: str) -> bool:
        """Whether this skip names the block checkov reported.

        ``file`` is relative to ``build/`` (``modules/backup_bucket/main.tf``) and
        ``resource_address`` is checkov's (``module.backup.aws_s3_bucket.this``, or
        ``aws_iam_policy_document.key`` for a data source).
        """
        parts = file.split("/")
        where = parts[1] if len(parts) >= 3 and parts[0] == "modules" else ROOT_STACK
        _, block = split_address(resource_address)
        return any(
            scope in (f"{where}/{block}", f"{where}/data.{block}") for scope in self.resources
        )

    def blocks(self) -> list[tuple[str, str]]:
        """``(module, block address)`` pairs this skip is written into (root-stack scopes
        are left out: trellis renders no skip comments into root stacks)."""
        pairs = [scope.split("/", 1) for scope in self.resources]
        return [(module, block) for module, block in pairs if module != ROOT_STACK]

    def comment(self) -> str:
        """The checkov suppression comment the renderer writes into a resource block."""
        return f"#checkov:skip={self.id}:{self.reason}"


def split_address(address: str) -> tuple[tuple[str, ...], str]:
    """``module.a[0].module.b.aws_s3_bucket.this[0]`` → ``(("module.a", "module.b"),
    "aws_s3_bucket.this")``: the module calls (indexes dropped) and the block."""
    parts = address.split(".")
    calls = []
    while len(parts) > 2 and parts[0] == "module":
        calls.append(f"module.{parts[1].split('[')[0]}")
        parts = parts[2:]
    return tuple(calls), ".".join(parts).split("[")[0]


def load_skips(repo_root: Path) -> list[Skip]:
    """Read and validate ``<repo_root>/policies/skips.yaml``; ``[]`` when there is none.

    Entries are returned sorted by id. Raises :class:`UserError` listing every problem.
    """
    return load_skips_file(repo_root / SKIPS_FILE, SKIPS_FILE.as_posix())


def builtin_skips() -> list[Skip]:
    """trellis's own reviewed table (for the blocks of its own modules)."""
    return load_skips_file(builtin_policies_dir() / "skips.yaml", SKIPS_FILE.as_posix())


def reviewed_skips(repo_root: Path) -> list[Skip]:
    """trellis's table plus the repository's own, when the repository is not trellis."""
    skips = builtin_skips()
    if (repo_root / SKIPS_FILE).resolve() != (builtin_policies_dir() / "skips.yaml").resolve():
        skips += load_skips(repo_root)
    return sorted(skips)


def _check_id(value: str) -> str:
    if not _CHECK_ID.match(value):
        raise rule_error(
            f"{value!r} is not a checkov check id",
            allowed="CKV_<PROVIDER>_<n> or CKV2_<PROVIDER>_<n>",
            hint="copy the id from the finding, e.g. CKV_AWS_117",
        )
    if value.startswith("CKV_TRL_"):
        raise rule_error(
            f"{value} is one of trellis's own policies, which are never skipped",
            allowed="a checkov built-in check id",
            hint="fix the template or module so the rendered output satisfies the policy",
        )
    return value


def _one_line(value: str) -> str:
    if not value.strip() or "\n" in value.strip():
        raise rule_error(
            "the reason must be one line a reviewer can accept",
            allowed="one non-empty line",
            hint="say why the check does not apply to what trellis renders",
        )
    return value.strip()


def _block(value: str) -> str:
    if not _SCOPE.match(value):
        raise rule_error(
            f"{value!r} does not name a block",
            allowed="<module>/<block address>, or stack/<block address> for a root stack",
            hint=_SCOPE_EXAMPLE,
        )
    return value


def _not_empty(value: list[str]) -> list[str]:
    if not value:
        raise rule_error(
            "the list of blocks is empty; a skip never covers everything",
            allowed="one or more <module>/<block address>",
            hint=_SCOPE_EXAMPLE,
        )
    return value


class SkipEntry(StrictModel):
    """One entry of the table as written: the check, the reason, the blocks it covers."""

    id: Annotated[str, AfterValidator(_check_id)]
    reason: Annotated[str, AfterValidator(_one_line)]
    resources: Annotated[list[Annotated[str, AfterValidator(_block)]], AfterValidator(_not_empty)]


class SkipsFile(StrictModel):
    """``policies/skips.yaml``: one key, ``skips``, holding the entries."""

    skips: list[SkipEntry]


def load_skips_file(path: Path, label: str) -> list[Skip]:
    """Read and validate one skips file; ``label`` is how messages name it.

    ``[]`` when there is no such file. Entries are returned sorted by id.
    """
    if not path.is_file():
        return []
    reviewed = load_reviewed_file(path, SkipsFile, file=label)
    _check_unique(reviewed)
    return sorted(
        Skip(entry.id, entry.reason, tuple(entry.resources)) for entry in reviewed.value.skips
    )


def _check_unique(reviewed: Reviewed[SkipsFile]) -> None:
    """Raise :class:`UserError` naming every check id listed a second time."""
    document, problems = reviewed.document, []
    first: dict[str, int] = {}
    for index, entry in enumerate(reviewed.value.skips):
        line, column = document.position(("skips", index, "id")) or (0, 0)
        if entry.id not in first:
            first[entry.id] = line
            continue
        problems.append(
            Diagnostic(
                document.file,
                line,
                column,
                f"skips.{index}.id",
                f"{entry.id} is listed twice (first at line {first[entry.id]})",
                code="schema.duplicate",
                value=repr(entry.id),
                hint="merge the two entries into one",
            )
        )
    if problems:
        raise UserError(problems)
