"""The security sections of the review: IAM changes that widen access, security posture
changes and checkov on the plan.

Widening IAM changes are a section that is never cut; narrowing ones, posture rows and
checkov rows may be cut to fit (see :mod:`generator.review.markdown_layout`).
"""

from __future__ import annotations

from generator.review.markdown_layout import Section, code, plural
from generator.review.model import Action, IamChange, ResourceWidening, Review


def _widening_line(w: ResourceWidening) -> str:
    resource = "`*` (any resource)" if w.resource == "*" else code(w.resource)
    if w.kind == "unknown":
        resource = "resources known after apply"
    what = {
        "wildcard": "new wildcard",
        "new": "new resource",
        "unknown": "pending",
        "swapped": "same kind and scope as the one it replaces: not wider",
    }[w.kind]
    was = f"; was {', '.join(code(r) for r in w.replaces)}" if w.replaces else ""
    label = {"swapped": "resource swapped", "unknown": "resource pending"}.get(
        w.kind, "resource widened"
    )
    return f"  - {label}: {resource} ({what}{was}) for {', '.join(code(a) for a in w.actions)}\n"


def _iam_item(change: IamChange) -> str:
    document = "" if change.document == "policy" else f" {code(change.document)}"
    what = {
        "identity": "policy" + document,
        "trust": "trust policy",
        "resource": "resource policy" + document,
        "boundary": "permissions boundary",
        "attachment": "policy attachment",
        "acl": "bucket ACL grants (other accounts and groups)",
    }.get(change.kind, code(change.document))
    lines = [f"- {code(change.stack)} {code(change.address)}: {what} ({change.action.value})\n"]
    if change.unknown:
        lines.append(
            "  - ⚠️ **known only after apply**"
            + (f": from {code(change.source)}" if change.source else "")
            + "\n"
        )
    if change.actions_added:
        lines.append(f"  - actions added: {', '.join(code(a) for a in change.actions_added)}\n")
    lines += [_widening_line(w) for w in change.resources_widened]
    for p in change.principals:
        actions = f" for {', '.join(code(a) for a in p.actions)}" if p.actions else ""
        lines.append(f"  - principal {p.change}: {code(p.principal)}{actions}\n")
    for c in change.conditions:
        before = ", ".join(code(v) for v in c.before) or "(none)"
        after = ", ".join(code(v) for v in c.after) or "(none)"
        wider = (
            " (**wider**)"
            if c.widened
            else " (narrower)"
            if c.narrowed
            else " (same kind and scope)"
            if c.swapped
            else " (pending)"
            if c.pending
            else " (**others let in**)"
        )
        lines.append(f"  - condition {code(c.condition)}: {before} → {after}{wider}\n")
    if change.actions_removed:
        lines.append(f"  - actions removed: {', '.join(code(a) for a in change.actions_removed)}\n")
    if change.resources_removed:
        lines.append(
            f"  - resources removed: {', '.join(code(r) for r in change.resources_removed)}\n"
        )
    lines += [
        f"  - {note.removeprefix('pending: ')}\n"
        for note in change.notes
        if not change.unknown or not note.startswith("pending: the document is known only")
    ]
    return "".join(lines)


def iam_sections(review: Review) -> list[Section]:
    """IAM changes: those that widen access (never cut), then the others."""
    changes = [i for s in review.stacks for i in s.iam]
    # changes to access that exists come before access that is new with its resource
    widening = sorted(
        (i for i in changes if i.widens), key=lambda i: (i.action is Action.CREATE, i)
    )
    pending = [i for i in changes if i.pending]
    narrowing = [i for i in changes if not i.widens and not i.pending]
    head = f"### What widens access: IAM ({len(widening)})\n\n"
    if not changes:
        return [
            Section(
                head + "No policy, trust policy, bucket ACL or permissions boundary changes.\n\n",
                [],
                keep=0,
            )
        ]
    items = [_iam_item(i) for i in widening]
    if not widening:
        items.append("No change widens access.\n")
    if pending:
        items.append(
            f"\nPending: known only after apply ({len(pending)}); nothing known widens, "
            "review the configuration they come from:\n\n"
        )
        items += [_iam_item(i) for i in pending]
    sections = [Section(head, items, "\n", keep=0)]
    if narrowing:
        sections.append(
            Section(
                f"Narrowed or removed ({len(narrowing)}):\n\n",
                [_iam_item(i) for i in narrowing],
                "\n",
                keep=2,
            )
        )
    return sections


def posture_section(review: Review) -> Section:
    """Protections weakened (encryption, public access, logging...), one row each."""
    rows = [p for s in review.stacks for p in s.posture]
    head = f"### What changes security posture ({len(rows)})\n\n"
    if not rows:
        return Section(head + "No protection is weakened.\n\n", [], keep=5)
    head += (
        "| root stack | resource | change | attribute | before | after |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
    )
    items = [
        f"| {code(p.stack)} | {code(p.address)} | {p.title} | {code(p.attribute)} | "
        f"{code(p.before)} | {code(p.after)} |\n"
        for p in rows
    ]
    return Section(head, items, "\n", keep=5)


def images_sections(review: Review) -> list[Section]:
    """Which image (repository and digest) each image function deploys, and its source."""
    rows = [i for s in review.stacks for i in s.images]
    if not rows:  # no image function in these plans: no section
        return []
    head = (
        f"### Which images deploy ({len(rows)})\n\n"
        "| root stack | function | repository | digest | digest from |\n"
        "| --- | --- | --- | --- | --- |\n"
    )
    items = [
        f"| {code(i.stack)} | {code(i.function_name)} | {code(i.repository)} | "
        f"{code(i.digest)} | {i.origin} |\n"
        for i in rows
    ]
    return [Section(head, items, "\n", keep=5)]


def _checkov_errors(review: Review) -> Section:
    errors = review.checkov_errors
    head = (
        f"**{plural(len(errors), 'check')} did not run**: checkov raised an error, so "
        "they neither passed nor failed:\n\n"
        "| root stack | check | resource | error |\n| --- | --- | --- | --- |\n"
    )
    items = [
        f"| {code(e.stack)} | {code(e.check_id)} | {code(e.resource)} | {code(e.error)} |\n"
        for e in errors
    ]
    return Section(head, items, "\n", keep=1)


def checkov_sections(review: Review) -> list[Section]:
    """checkov on the plan: failed checks, checks that did not run, or why it was not run."""
    if review.checkov_missing:
        return [
            Section(
                "### checkov on the plan\n\n**Not run: this review is incomplete.** "
                f"{review.checkov_missing.replace('|', chr(92) + '|')}\n\n",
                [],
                keep=4,
            )
        ]
    if not review.checkov_ran:
        return [Section("### checkov on the plan\n\nNot run (`--no-checkov`).\n\n", [], keep=4)]
    rows = [c for s in review.stacks for c in s.checkov]
    head = f"### checkov on the plan ({plural(len(rows), 'failed check')})\n\n"
    errors = [_checkov_errors(review)] if review.checkov_errors else []
    if not rows:
        verdict = (
            "No check failed, but not every check ran (see above).\n\n"
            if errors
            else "Every check passed.\n\n"
        )
        return [Section(head, [], keep=4), *errors, Section(verdict, [], keep=4)]
    items = [
        f"| {code(c.stack)} | {code(c.check_id)} | {code(c.resource)} | "
        f"{c.check_name.replace('|', chr(92) + '|')} |\n"
        for c in rows
    ]
    return [
        Section(head, [], keep=4),
        *errors,
        Section(
            "<details><summary>Failed checks</summary>\n\n"
            "| root stack | check | resource | what it wants |\n| --- | --- | --- | --- |\n",
            items,
            "\n</details>\n\n",
            keep=4,
        ),
    ]
