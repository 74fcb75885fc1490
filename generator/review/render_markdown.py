"""The review as Markdown for a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

Order is what a reviewer needs first: what blocks (every destructive change, blocking
ones on top), what widens access (IAM), what weakens security posture, failed checkov
checks, then the counts per root stack and the per-resource details in collapsible
``<details>`` blocks.

GitHub refuses comments over 65,536 characters, so the output never exceeds
``max_chars``. The destructive and IAM sections are always kept whole; later sections are
added while they fit, a long details list is cut between resources, and a closing note
points to the full review (the JSON artifact). Only if the two whole sections alone exceed
the cap are they cut too, with the same note: the cap is hard.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from generator.review.model import (
    ACTION_ORDER,
    Action,
    Change,
    Destruction,
    IamChange,
    ResourceWidening,
    Review,
)

DEFAULT_MAX_CHARS = 60_000


def code(text: str) -> str:
    """``text`` as an inline code span that survives backticks and table pipes."""
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text.replace('|', chr(92) + '|')}{pad}{fence}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


@dataclass
class _Section:
    """A part of the document: ``head`` and ``tail`` wrap ``items``, which may be cut."""

    head: str
    items: list[str]
    tail: str = ""
    whole: bool = False
    reserved: bool = False


def _summary(review: Review) -> str:
    blocking = len(review.blocking)
    widening = sum(1 for s in review.stacks for i in s.iam if i.widens)
    posture = sum(len(s.posture) for s in review.stacks)
    failed = sum(len(s.checkov) for s in review.stacks)
    stacks = ", ".join(code(s.name) for s in review.stacks)
    verdict = (
        f"**⛔ Blocked:** {_plural(blocking, 'destructive change')} on stateful "
        "resources nobody allowed."
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
    checkov = (
        _plural(failed, "failed checkov check") + (f" ({'; '.join(left_out)})" if left_out else "")
        if review.checkov_ran
        else "**checkov could not run: this review is incomplete**"
        if review.checkov_missing
        else "checkov not run (`--no-checkov`)"
    )
    lines = [
        "## trellis plan review",
        "",
        f"{verdict} {_plural(widening, 'IAM change')} widening access · "
        f"{_plural(posture, 'security posture change')} · {checkov}.",
        "",
        f"Root stacks: {stacks}.",
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


def _destructive_row(d: Destruction) -> str:
    if d.blocking:
        mark, why = "⛔", f"{code(d.type)} holds state; not allowed"
    elif d.stateful:
        mark, why = "✔️", "holds state; allowed by `--allow-destroy`"
    else:
        mark, why = "", "holds no state"
    action = "delete" if d.action is Action.DELETE else f"replace ({d.order})"
    return f"| {mark} | {code(d.stack)} | {code(d.address)} | {action} | {why} |\n"


_TABLE = "| | root stack | resource | action | why |\n| --- | --- | --- | --- | --- |\n"


def _destructive(review: Review) -> list[_Section]:
    rows = [d for s in review.stacks for d in s.destructions]
    blocking = [d for d in rows if d.blocking]
    others = [d for d in rows if not d.blocking]
    head = f"### What blocks ({len(blocking)})\n\n"
    if not blocking:
        head += "Nothing: no stateful resource is deleted or replaced without an allowance.\n\n"
        sections = [_Section(head, [], whole=True)]
    else:
        tail = (
            "\nTo go ahead, allow each address on purpose: `trellis review PLAN.json "
            "--allow-destroy ADDRESS` (or `STACK:ADDRESS`).\n\n"
        )
        sections = [
            _Section(head + _TABLE, [_destructive_row(d) for d in blocking], tail, whole=True)
        ]
    if others:
        sections.append(
            _Section(
                f"Other destructive changes ({len(others)}):\n\n" + _TABLE,
                [_destructive_row(d) for d in others],
                "\n",
            )
        )
    return sections


def _widening_line(w: ResourceWidening) -> str:
    resource = "`*` (any resource)" if w.resource == "*" else code(w.resource)
    if w.kind == "unknown":
        resource = "resources known after apply"
    what = {"wildcard": "new wildcard", "new": "new resource", "unknown": "pending"}[w.kind]
    was = f"; was {', '.join(code(r) for r in w.replaces)}" if w.replaces else ""
    return (
        f"  - resource widened: {resource} ({what}{was}) for "
        f"{', '.join(code(a) for a in w.actions)}\n"
    )


def _iam_item(change: IamChange) -> str:
    document = "" if change.document == "policy" else f" {code(change.document)}"
    what = {
        "identity": "policy" + document,
        "trust": "trust policy",
        "resource": "resource policy" + document,
        "boundary": "permissions boundary",
        "attachment": "policy attachment",
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
        wider = " (**wider**)" if c.widened else " (narrower)" if c.narrowed else ""
        lines.append(f"  - condition {code(c.condition)}: {before} → {after}{wider}\n")
    if change.actions_removed:
        lines.append(f"  - actions removed: {', '.join(code(a) for a in change.actions_removed)}\n")
    if change.resources_removed:
        lines.append(
            f"  - resources removed: {', '.join(code(r) for r in change.resources_removed)}\n"
        )
    lines += [
        f"  - {note}\n"
        for note in change.notes
        if not change.unknown or not note.startswith("the document is known only")
    ]
    return "".join(lines)


def _iam(review: Review) -> _Section:
    changes = [i for s in review.stacks for i in s.iam]
    # changes to access that exists come before access that is new with its resource
    widening = sorted(
        (i for i in changes if i.widens), key=lambda i: (i.action is Action.CREATE, i)
    )
    narrowing = [i for i in changes if not i.widens]
    head = f"### What widens access: IAM ({len(widening)})\n\n"
    if not changes:
        return _Section(
            head + "No policy, trust policy or permissions boundary changes.\n\n", [], whole=True
        )
    items = [_iam_item(i) for i in widening]
    if not widening:
        items.append("No change widens access.\n")
    if narrowing:
        items.append(f"\nNarrowed or removed ({len(narrowing)}):\n\n")
        items += [_iam_item(i) for i in narrowing]
    return _Section(head, items, "\n", whole=True)


def _posture(review: Review) -> _Section:
    rows = [p for s in review.stacks for p in s.posture]
    head = f"### What changes security posture ({len(rows)})\n\n"
    if not rows:
        return _Section(head + "No protection is weakened.\n\n", [])
    head += (
        "| root stack | resource | change | attribute | before | after |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
    )
    items = [
        f"| {code(p.stack)} | {code(p.address)} | {p.title} | {code(p.attribute)} | "
        f"{code(p.before)} | {code(p.after)} |\n"
        for p in rows
    ]
    return _Section(head, items, "\n")


def _checkov(review: Review) -> _Section:
    if review.checkov_missing:
        return _Section(
            "### checkov on the plan\n\n**Not run: this review is incomplete.** "
            f"{review.checkov_missing.replace('|', chr(92) + '|')}\n\n",
            [],
            whole=True,
        )
    if not review.checkov_ran:
        return _Section("### checkov on the plan\n\nNot run (`--no-checkov`).\n\n", [])
    rows = [c for s in review.stacks for c in s.checkov]
    head = f"### checkov on the plan ({_plural(len(rows), 'failed check')})\n\n"
    if not rows:
        return _Section(head + "Every check passed.\n\n", [])
    head += (
        "<details><summary>Failed checks</summary>\n\n"
        "| root stack | check | resource | what it wants |\n| --- | --- | --- | --- |\n"
    )
    items = [
        f"| {code(c.stack)} | {code(c.check_id)} | {code(c.resource)} | "
        f"{c.check_name.replace('|', chr(92) + '|')} |\n"
        for c in rows
    ]
    return _Section(head, items, "\n</details>\n\n")


def _counts(review: Review) -> _Section:
    shown = [
        a for a in ACTION_ORDER if a is not Action.FORGET or any(s.counts[a] for s in review.stacks)
    ]
    head = (
        "### Counts\n\n| root stack | "
        + " | ".join(a.value for a in shown)
        + " |\n"
        + "| --- |"
        + " ---: |" * len(shown)
        + "\n"
    )
    items = [
        f"| {code(s.name)} | " + " | ".join(str(s.counts[a]) for a in shown) + " |\n"
        for s in review.stacks
    ]
    return _Section(head, items, "\n", reserved=True)


def _change_item(change: Change) -> str:
    action = change.action.value
    if change.action is Action.REPLACE:
        action += (
            " (create before destroy)"
            if change.raw_actions[0] == "create"
            else " (destroy then create)"
        )
    line = f"- {code(change.address)} {action}"
    if change.reason:
        line += f" — {change.reason.replace('_', ' ')}"
    lines = [line + "\n"]
    forces = set(change.replace_paths)
    for attr in change.attributes:
        mark = " (forces replacement)" if attr.path in forces else ""
        lines.append(f"  - {code(attr.path)}: {code(attr.before)} → {code(attr.after)}{mark}\n")
    if change.more_attributes:
        lines.append(f"  - … and {change.more_attributes} more attributes\n")
    return "".join(lines)


def _details(review: Review) -> list[_Section]:
    sections: list[_Section] = []
    for stack in review.stacks:
        if not stack.changes:
            continue
        head = "" if sections else "### Details\n\n"
        head += (
            f"<details><summary>{escape(stack.name)}: "
            f"{_plural(len(stack.changes), 'change')} "
            f"({escape(stack.plan_file)}, "
            f"Terraform {escape(stack.terraform_version)})</summary>\n\n"
        )
        sections.append(
            _Section(head, [_change_item(c) for c in stack.changes], "\n</details>\n\n")
        )
    return sections


def _note(artifact: str | None, left_out: int) -> str:
    where = (
        f"the artifact {code(artifact)}"
        if artifact
        else "the JSON review (`trellis review --format json`)"
    )
    return (
        f"\n---\n**Cut to fit:** {_plural(left_out, 'item')} left out. "
        f"The full review is in {where}.\n"
    )


def _fill(section: _Section, room: int | None) -> tuple[str, int]:
    """The section with as many items as fit in ``room`` (None: all), and how many did not."""
    full = section.head + "".join(section.items) + section.tail
    if room is None or len(full) <= room:
        return full, 0
    frame = len(section.head) + len(section.tail) + len(_MORE.format(n=10**9))
    if frame > room:
        return "", max(len(section.items), 1)
    kept: list[str] = []
    size = frame
    for item in section.items:
        if size + len(item) > room:
            break
        kept.append(item)
        size += len(item)
    left = len(section.items) - len(kept)
    if not kept:
        return "", max(len(section.items), 1)
    return section.head + "".join(kept) + section.tail + _MORE.format(n=left), left


_MORE = "_… {n} more not shown here: see the full review._\n\n"


def _fit(sections: Sequence[_Section], max_chars: int, artifact: str | None) -> str:
    """Whole sections first, the counts always, then the rest while it fits."""
    if not max_chars:
        return "".join(s.head + "".join(s.items) + s.tail for s in sections)
    budget = max_chars - len(_note(artifact, 10**9))
    reserved = sum(len(s.head + "".join(s.items) + s.tail) for s in sections if s.reserved)
    room = budget - reserved
    texts: list[str] = [""] * len(sections)
    left_out = 0
    order = [i for i, s in enumerate(sections) if s.whole and not s.reserved]
    order += [i for i, s in enumerate(sections) if not s.whole and not s.reserved]
    for index in order:
        text, left = _fill(sections[index], max(room, 0))
        texts[index] = text
        room -= len(text)
        left_out += left
    for index, section in enumerate(sections):
        if section.reserved:
            texts[index] = section.head + "".join(section.items) + section.tail
    text = "".join(texts)
    if left_out:
        text += _note(artifact, left_out)
    if len(text) > max_chars:  # only if the reserved parts alone do not fit
        note = _note(artifact, max(left_out, 1))
        text = text[: max(max_chars - len(note), 0)]
        text = text[: text.rfind("\n") + 1] + note
    return text[:max_chars]  # a cap shorter than the note itself still holds


def _graphs(graphs: Mapping[str, str]) -> list[_Section]:
    if not graphs:
        return []
    items = [
        f"<details><summary>Data flow of {escape(stack)}</summary>\n\n"
        f"```mermaid\n{text.rstrip()}\n```\n\n</details>\n"
        for stack, text in sorted(graphs.items())
    ]
    return [_Section("### Data flow of the changed blueprints\n\n", items, "\n")]


def render_markdown(
    review: Review,
    max_chars: int = DEFAULT_MAX_CHARS,
    artifact: str | None = None,
    graphs: Mapping[str, str] | None = None,
) -> str:
    """The review as Markdown of at most ``max_chars`` characters (0: no limit).

    ``artifact`` names where the full review is (an uploaded artifact, a file); the note
    that closes a cut document points there. ``graphs`` maps a root stack's name to the
    Mermaid graph of its blueprint (``trellis graph``); they follow the counts.
    """
    sections: list[_Section] = [
        _Section(_summary(review), [], whole=True),
        *_destructive(review),
        _iam(review),
        _posture(review),
        _checkov(review),
        _counts(review),
        *_graphs(graphs or {}),
        *_details(review),
    ]
    return _fit(sections, max_chars, artifact)
