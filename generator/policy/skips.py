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

What can go wrong (each raises :class:`UserError` with file, line, field and a fix): the
file is not YAML, an entry misses ``id`` or ``reason``, an id is malformed, names one of
our own ``CKV_TRL_`` policies (fix the output instead) or appears twice, a reason is
empty or spans lines, a resource type is malformed, or a key is unknown.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from generator.builtin_policies import builtin_policies_dir
from generator.errors import Diagnostic, UserError

SKIPS_FILE = Path("policies") / "skips.yaml"
_CHECK_ID = re.compile(r"^CKV2?_[A-Z0-9]+_[0-9]+$")
_SCOPE = re.compile(r"^[a-z0-9_]+/(data\.)?[a-z][a-z0-9_]*\.[a-z0-9_]+$")
_ITEM_KEYS = ("id", "reason", "resources")
ROOT_STACK = "stack"
"""The scope prefix for a block written in a root stack rather than in a module."""


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


def load_skips_file(path: Path, label: str) -> list[Skip]:
    """Read and validate one skips file; ``label`` is how messages name it."""
    if not path.is_file():
        return []
    try:
        document = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    except YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise UserError(
            [
                Diagnostic(
                    file=label,
                    line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None,
                    path="",
                    message=f"not valid YAML: {getattr(err, 'problem', None) or err}",
                    hint="fix the YAML syntax (indentation; quote reasons that contain ': ')",
                )
            ]
        ) from None
    problems: list[Diagnostic] = []
    if document is None:
        return []
    if not isinstance(document, dict) or set(document) != {"skips"}:
        raise UserError(
            [
                Diagnostic(
                    file=label,
                    line=1,
                    column=1,
                    path="",
                    message="expected one key, `skips`, holding a list of {id, reason, resources}",
                    hint="see docs/check.md",
                )
            ]
        )
    items = document["skips"] or []
    if not isinstance(items, list):
        raise UserError(
            [
                Diagnostic(
                    file=label,
                    line=_line(document, "skips"),
                    column=None,
                    path="skips",
                    message="must be a list",
                    value=type(items).__name__,
                    hint="write each skip as `- id: ...` under `skips:`",
                )
            ]
        )
    skips: list[Skip] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        where = f"skips[{index}]"
        line = _item_line(items, index)
        if not isinstance(item, dict):
            problems.append(
                Diagnostic(
                    label,
                    line,
                    None,
                    where,
                    "each skip must be a mapping",
                    hint="write `- id: CKV_AWS_..` with `reason:` below it",
                )
            )
            continue
        problems.extend(_check_item(label, where, item, line))
        check_id, reason = item.get("id"), item.get("reason")
        resources = item.get("resources") or []
        if isinstance(check_id, str) and check_id in seen:
            problems.append(
                Diagnostic(
                    label,
                    line,
                    None,
                    f"{where}.id",
                    f"{check_id} is listed twice (first at line {seen[check_id]})",
                    value=check_id,
                    hint="merge the two entries into one",
                )
            )
        elif isinstance(check_id, str):
            seen[check_id] = line or 0
        if isinstance(check_id, str) and isinstance(reason, str) and isinstance(resources, list):
            skips.append(Skip(check_id, reason.strip(), tuple(str(r) for r in resources)))
    if problems:
        raise UserError(problems)
    return sorted(skips)


def _check_item(label: str, where: str, item: dict[str, Any], line: int | None) -> list[Diagnostic]:
    problems = []
    for key in item:
        if key not in _ITEM_KEYS:
            close = difflib.get_close_matches(str(key), _ITEM_KEYS, n=1)
            problems.append(
                Diagnostic(
                    label,
                    _line(item, key) or line,
                    None,
                    f"{where}.{key}",
                    "unknown key",
                    value=str(key),
                    allowed=", ".join(_ITEM_KEYS),
                    hint=f"did you mean `{close[0]}`?" if close else "remove it",
                )
            )
    check_id = item.get("id")
    if not isinstance(check_id, str) or not _CHECK_ID.match(check_id):
        problems.append(
            Diagnostic(
                label,
                _line(item, "id") or line,
                None,
                f"{where}.id",
                "must be a checkov check id",
                value=None if check_id is None else str(check_id),
                allowed="CKV_<PROVIDER>_<n> or CKV2_<PROVIDER>_<n>",
                hint="copy the id from the finding, e.g. CKV_AWS_117",
            )
        )
    elif check_id.startswith("CKV_TRL_"):
        problems.append(
            Diagnostic(
                label,
                _line(item, "id") or line,
                None,
                f"{where}.id",
                "our own policies are not skipped",
                value=check_id,
                hint="fix the template or module so the rendered output satisfies the policy",
            )
        )
    reason = item.get("reason")
    if not isinstance(reason, str) or not reason.strip() or "\n" in reason.strip():
        problems.append(
            Diagnostic(
                label,
                _line(item, "reason") or line,
                None,
                f"{where}.reason",
                "must be a one-line explanation a reviewer can accept",
                value=None if reason is None else str(reason),
                hint="say why the check does not apply to what trellis renders",
            )
        )
    resources = item.get("resources")
    if not (
        isinstance(resources, list)
        and resources
        and all(isinstance(r, str) and _SCOPE.match(r) for r in resources)
    ):
        problems.append(
            Diagnostic(
                label,
                _line(item, "resources") or line,
                None,
                f"{where}.resources",
                "must list the module blocks the skip applies to",
                value=str(resources),
                hint="for example [lambda_function/aws_lambda_function.this, "
                "kms_key/data.aws_iam_policy_document.key]",
            )
        )
    return problems


def _line(mapping: Any, key: str) -> int | None:
    lc = getattr(mapping, "lc", None)
    try:
        return int(lc.key(key)[0]) + 1 if lc is not None else None
    except (KeyError, TypeError):
        return None


def _item_line(items: Any, index: int) -> int | None:
    lc = getattr(items, "lc", None)
    try:
        return int(lc.item(index)[0]) + 1 if lc is not None else None
    except (KeyError, TypeError, IndexError):
        return None
