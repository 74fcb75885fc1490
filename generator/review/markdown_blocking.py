"""The top of the review: the verdict line, what blocks, and what a reviewer should be told.

:func:`summary_section` is the headline (blocked or not, and every count a reviewer
weighs); :func:`destructive_sections` the table of destructive changes, blocking ones in a
section that is never cut; :func:`hints_section` the likely missing ``moved`` blocks and
protections on destroyed resources.
"""

from __future__ import annotations

from generator.review.markdown_layout import Section, code, plural
from generator.review.model import (
    Action,
    Destruction,
    Review,
)


def summary_section(review: Review) -> str:
    """The headline: blocked or not, the stacks, and every count a reviewer weighs."""
    blocking = len(review.blocking)
    widening = sum(1 for s in review.stacks for i in s.iam if i.widens)
    pending = sum(1 for s in review.stacks for i in s.iam if i.pending)
    posture = sum(len(s.posture) for s in review.stacks)
    hints = sum(len(s.hints) for s in review.stacks)
    failed = sum(len(s.checkov) for s in review.stacks)
    stacks = ", ".join(code(s.name) for s in review.stacks)
    verdict = (
        f"**⛔ Blocked:** {plural(blocking, 'destructive change')} losing data or key "
        "material that nobody allowed."
        if blocking
        else "**✅ Nothing blocks.**"
    )
    left_out = []
    if review.checkov_skipped:
        left_out.append(f"{review.checkov_skipped} covered by reviewed skips")
    if review.checkov_undecided:
        left_out.append(
            f"{review.checkov_undecided} encryption checks undecidable until "
            "the plan's KMS keys exist"
        )
    if review.checkov_errors:
        left_out.insert(0, f"**{plural(len(review.checkov_errors), 'check')} did not run**")
    checkov = (
        plural(failed, "failed checkov check") + (f" ({'; '.join(left_out)})" if left_out else "")
        if review.checkov_ran
        else "**checkov could not run: this review is incomplete**"
        if review.checkov_missing
        else "checkov not run (`--no-checkov`)"
    )
    summary = _total_summary(review)
    lines = [
        "## trellis plan review",
        "",
        f"{verdict} {plural(widening, 'IAM change')} widening access"
        + (f", {pending} pending until apply" if pending else "")
        + f" · {plural(hints, 'hint')} for the reviewer"
        f" · {plural(posture, 'security posture change')} · {checkov}.",
        "",
        f"Root stacks: {stacks}. Terraform: {summary}.",
        "",
    ]
    if review.unused_allowances:
        lines += [
            "> **Note:** `--allow-destroy` matched nothing for "
            + ", ".join(code(a) for a in review.unused_allowances)
            + ".",
            "",
        ]
    return "\n".join(lines) + "\n"


def _total_summary(review: Review) -> str:
    """Terraform's ``N to add, N to change, N to destroy`` over every plan, reads apart."""
    keys = ("add", "change", "destroy", "forget", "read")
    n = {key: sum(s.summary[key] for s in review.stacks) for key in keys}
    text = f"{n['add']} to add, {n['change']} to change, {n['destroy']} to destroy"
    if n["forget"]:
        text += f", {n['forget']} to forget"
    if n["read"]:
        text += f" (and {plural(n['read'], 'data source')} read during apply)"
    if len(review.stacks) > 1:
        text += f" in {len(review.stacks)} root stacks"
    return text


_HOLDS = {"data": "holds data", "key": "holds identity or key material", "unknown": "unclassified"}


def _destructive_row(d: Destruction) -> str:
    what = f"{code(d.type)} {_HOLDS.get(d.holds, d.holds)}: loses {d.lost}"
    if d.blocking:
        mark, why = "⛔", f"{what}; not allowed"
    elif d.stateful:
        mark, why = "✔️", f"{what}; allowed by `--allow-destroy`"
    else:
        mark, why = "", "holds nothing Terraform cannot recreate"
    action = "delete" if d.action is Action.DELETE else f"replace ({d.order})"
    return f"| {mark} | {code(d.stack)} | {code(d.address)} | {action} | {why} |\n"


_TABLE = "| | root stack | resource | action | why |\n| --- | --- | --- | --- | --- |\n"


def destructive_sections(review: Review) -> list[Section]:
    """Destructive changes: the blocking ones (never cut), then the others (cut to fit)."""
    rows = [d for s in review.stacks for d in s.destructions]
    blocking = [d for d in rows if d.blocking]
    others = [d for d in rows if not d.blocking]
    head = f"### What blocks ({len(blocking)})\n\n"
    if not blocking:
        head += (
            "Nothing: no resource holding data or key material is deleted or replaced "
            "without an allowance.\n\n"
        )
        sections = [Section(head, [], keep=0)]
    else:
        tail = (
            "\nTo go ahead, allow each address on purpose: `trellis review PLAN.json "
            "--allow-destroy ADDRESS` (or `STACK:ADDRESS`).\n\n"
        )
        sections = [Section(head + _TABLE, [_destructive_row(d) for d in blocking], tail, keep=0)]
    if others:
        sections.append(
            Section(
                f"Other destructive changes ({len(others)}):\n\n" + _TABLE,
                [_destructive_row(d) for d in others],
                "\n",
                keep=3,
            )
        )
    return sections


def hints_section(review: Review) -> Section:
    """What the reviewer should be told: likely missing ``moved`` blocks, protections."""
    hints = [h for s in review.stacks for h in s.hints]
    head = f"### What a reviewer should know ({len(hints)})\n\n"
    if not hints:
        return Section(
            head + "Nothing: no likely missed `moved` block, no protection on "
            "anything destroyed.\n\n",
            [],
            keep=1,
        )
    items = []
    for h in hints:
        item = f"- {code(h.stack)} {code(h.address)}: {h.message}\n"
        if h.suggestion:
            item += "\n  ```hcl\n" + "".join(f"  {line}\n" for line in h.suggestion.splitlines())
            item += "  ```\n"
        items.append(item)
    return Section(head, items, "\n", keep=1)
