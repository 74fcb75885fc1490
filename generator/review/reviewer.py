"""Build a :class:`~generator.review.model.Review` from plan files.

One pass over each plan's ``resource_changes`` (streamed, see :mod:`.planfile`) feeds the
counts, the destructive changes, the IAM collector and the posture rules; then checkov runs
once over all plans. Nothing of a change is kept beyond what the model needs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from generator.errors import Diagnostic, UserError
from generator.policy.skips import Skip
from generator.review.checkov import checkov_unavailable, find_checkov, sort_failures
from generator.review.checkov import run_checkov as run_checkov_tool
from generator.review.hints import HintCollector
from generator.review.holdings import holding_of, precious_types
from generator.review.iam import REFERENCE_TYPES, IamCollector
from generator.review.images import ImageCollector
from generator.review.model import (
    ACTION_ORDER,
    Action,
    Change,
    CheckovError,
    CheckovFailure,
    Destruction,
    PostureChange,
    Review,
    StackReview,
)
from generator.review.planfile import scan_plan
from generator.review.security import posture_changes
from generator.review.values import diff_attributes

STATEFUL_TYPES = precious_types()
"""Classified types whose destruction loses data or key material (see :mod:`.holdings`)."""

ACTIONS: dict[tuple[str, ...], Action] = {
    ("no-op",): Action.NO_OP,
    ("create",): Action.CREATE,
    ("read",): Action.READ,
    ("update",): Action.UPDATE,
    ("delete",): Action.DELETE,
    ("forget",): Action.FORGET,
    ("create", "delete"): Action.REPLACE,
    ("delete", "create"): Action.REPLACE,
}


def stack_name(path: Path) -> str:
    """``<env>/<blueprint>`` for ``.../<env>/<blueprint>/plan.json``, else the file name."""
    parts = path.resolve().parts
    if path.name == "plan.json" and len(parts) >= 4:
        return f"{parts[-3]}/{parts[-2]}"
    return path.name


def display_path(path: Path) -> str:
    """The path as messages and reports show it: relative to the working directory if under it."""
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


class _StackBuilder:
    def __init__(self, stack: str, display: str, path: Path) -> None:
        self.stack = stack
        self.display = display
        self.counts: Counter[Action] = Counter()
        self.changes: list[Change] = []
        self.destructions: list[Destruction] = []
        self.posture: list[PostureChange] = []
        self.iam = IamCollector(stack)
        self.hints = HintCollector(stack)
        self.images = ImageCollector(stack, path)
        self.index = 0

    def bad(self, message: str, value: Any = None) -> UserError:
        return UserError(
            [
                Diagnostic(
                    file=self.display,
                    line=None,
                    column=None,
                    path=f"resource_changes[{self.index}]",
                    message=message,
                    code="bad-change",
                    value=None if value is None else str(value),
                    hint="pass the unmodified output of `terraform show -json PLANFILE`",
                )
            ]
        )

    def on_change(self, rc: dict[str, Any]) -> None:
        change = rc.get("change")
        address = rc.get("address")
        if not isinstance(change, dict) or not isinstance(address, str) or "type" not in rc:
            raise self.bad("is not a resource change (needs address, type and change)")
        raw = change.get("actions")
        action = ACTIONS.get(tuple(map(str, raw))) if isinstance(raw, list) else None
        if action is None:
            raise self.bad(f"{address} has actions this review does not know", raw)
        self.index += 1
        self.counts[action] += 1
        if action is Action.NO_OP:
            return
        if rc.get("deposed"):
            address = f"{address} (deposed object {rc['deposed']})"
        resource_type = str(rc["type"])
        raw_actions = tuple(str(a) for a in raw or ())
        self.iam.add(rc, action)
        self.posture.extend(posture_changes(self.stack, rc, action))
        self.hints.add(rc, action, address)
        self.images.add(rc, action)
        if action in (Action.DELETE, Action.REPLACE) and rc.get("mode", "managed") == "managed":
            holding = holding_of(resource_type)
            self.destructions.append(
                Destruction(
                    self.stack,
                    address,
                    resource_type,
                    action,
                    raw_actions,
                    holds=holding.kind.value,
                    lost=holding.lost,
                    allowed=False,
                )
            )
        attributes: Sequence[Any] = ()
        more = 0
        if action in (Action.UPDATE, Action.REPLACE):
            attributes, more = diff_attributes(change)
        self.changes.append(
            Change(
                stack=self.stack,
                address=address,
                type=resource_type,
                action=action,
                raw_actions=raw_actions,
                mode=str(rc.get("mode", "managed")),
                reason=rc.get("action_reason"),
                replace_paths=tuple(
                    ".".join(str(p) for p in path)
                    for path in change.get("replace_paths") or ()
                    if isinstance(path, list)
                ),
                attributes=tuple(attributes),
                more_attributes=more,
            )
        )


def _allow(
    destructions: Iterable[Destruction], allowances: set[str], used: set[str]
) -> list[Destruction]:
    result = []
    for d in destructions:
        base = d.address.split(" (deposed", 1)[0]
        keys = {base, f"{d.stack}:{base}"}
        matched = keys & allowances
        used |= matched
        result.append(
            Destruction(
                d.stack,
                d.address,
                d.type,
                d.action,
                d.raw_actions,
                d.holds,
                d.lost,
                allowed=bool(matched),
            )
        )
    return sorted(result, key=lambda d: (not d.blocking, not d.stateful, d.address))


def review_plan_file(path: Path, allowances: set[str], used: set[str]) -> StackReview:
    """Review one plan without checkov (see :func:`review_plans` for the errors)."""
    display = display_path(path)
    builder = _StackBuilder(stack_name(path), display, path)
    meta = scan_plan(path, display, builder.on_change, REFERENCE_TYPES)
    counts = {action: builder.counts.get(action, 0) for action in ACTION_ORDER}
    return StackReview(
        name=builder.stack,
        plan_file=display,
        terraform_version=meta.terraform_version or "",
        counts=counts,
        changes=tuple(sorted(builder.changes, key=lambda c: c.address)),
        destructions=tuple(_allow(builder.destructions, allowances, used)),
        iam=tuple(builder.iam.finish(meta.references)),
        posture=tuple(sorted(builder.posture)),
        hints=tuple(builder.hints.finish()),
        images=builder.images.finish(),
    )


def review_plans(
    paths: Sequence[Path | str],
    allow_destroy: Iterable[str] = (),
    run_checkov: bool = True,
    checkov: str | None = None,
    skips: Sequence[Skip] = (),
    repo_root: Path | None = None,
) -> Review:
    """Review ``terraform show -json`` plans, one root stack each.

    ``allow_destroy`` lists addresses (``module.store.aws_dynamodb_table.main``, or
    ``<stack>:<address>`` for one stack only) whose destruction is intended. With
    ``run_checkov`` (the default), checkov runs once over all plans; ``checkov`` overrides
    where its executable is; failed checks that ``skips`` (the reviewed skips table)
    covers are left out and counted in ``checkov_skipped``, and encryption checks that
    cannot be judged before the plan's KMS key exists in ``checkov_undecided``. checkov
    is resolved like every tool (``repo_root`` for the project's ``.venv-checkov``); when
    it is installed nowhere the review says so in ``checkov_missing`` and exits 1.

    Raises :class:`UserError` (exit 2) for a file that is missing, not JSON, truncated,
    not a plan, of an unsupported ``format_version`` or without ``terraform_version``;
    for two plans of the same root stack; and when ``--checkov``/``TRELLIS_CHECKOV`` name
    a file that is not there.
    """
    allowances = set(allow_destroy)
    used: set[str] = set()
    stacks: list[StackReview] = []
    files: dict[str, Path] = {}
    for raw in paths:
        path = Path(raw)
        stack = review_plan_file(path, allowances, used)
        if stack.name in files:
            raise UserError.single(
                stack.plan_file,
                f"is a second plan for root stack {stack.name} "
                f"(the first is {display_path(files[stack.name])})",
                hint="pass one plan per root stack; name them <env>/<blueprint>/plan.json",
            )
        files[stack.name] = path
        stacks.append(stack)
    skipped: list[CheckovFailure] = []
    undecided = 0
    errors: tuple[CheckovError, ...] = ()
    missing = checkov_unavailable(repo_root) if run_checkov and checkov is None else None
    if run_checkov and missing is None:
        result = run_checkov_tool(files, checkov or find_checkov(repo_root))
        errors = result.errors
        failures, skipped, undecided = sort_failures(result.failures, files, skips)
        stacks = [replace(s, checkov=tuple(failures.get(s.name, ()))) for s in stacks]
    return Review(
        stacks=tuple(sorted(stacks, key=lambda s: s.name)),
        checkov_ran=run_checkov and missing is None,
        unused_allowances=tuple(sorted(allowances - used)),
        checkov_skipped=len(skipped),
        checkov_skipped_checks=tuple(skipped),
        checkov_undecided=undecided,
        checkov_errors=errors,
        checkov_missing=missing,
    )
