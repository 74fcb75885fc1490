"""The review as Markdown for a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

Order is what a reviewer needs first: what blocks (every destructive change, blocking
ones on top, each with what is lost), what widens access (IAM), what a reviewer should
be told (likely missing ``moved`` blocks, protections on destroyed resources), what
weakens security posture, checkov on the plan, then the counts per root stack (as
Terraform's own summary) and the per-resource details in collapsible ``<details>`` blocks.

GitHub refuses comments over 65,536 characters, so the output never exceeds
``max_chars``. The blocking and IAM sections are never cut while they fit: the details,
graphs, counts and posture rows are cut first (in that order), then checkov rows, the
other destructive changes and the hints. A closing note points to the full review. If
blocking + IAM alone exceed the cap, the review says so at the top, names ``full_file``
(where the caller wrote the complete Markdown) and is cut there too: the cap is hard.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from generator.review.model import (
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
    """A part of the document: ``head`` and ``tail`` wrap ``items``, which may be cut.

    ``keep`` orders what is given room first when the cap bites: 0 is never cut while it
    fits (summary, blocking, IAM); higher numbers are cut before lower ones.
    """

    head: str
    items: list[str]
    tail: str = ""
    keep: int = 9


def _summary(review: Review) -> str:
    blocking = len(review.blocking)
    widening = sum(1 for s in review.stacks for i in s.iam if i.widens)
    pending = sum(1 for s in review.stacks for i in s.iam if i.pending)
    posture = sum(len(s.posture) for s in review.stacks)
    hints = sum(len(s.hints) for s in review.stacks)
    failed = sum(len(s.checkov) for s in review.stacks)
    stacks = ", ".join(code(s.name) for s in review.stacks)
    verdict = (
        f"**⛔ Blocked:** {_plural(blocking, 'destructive change')} losing data or key "
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
        left_out.insert(0, f"**{_plural(len(review.checkov_errors), 'check')} did not run**")
    checkov = (
        _plural(failed, "failed checkov check") + (f" ({'; '.join(left_out)})" if left_out else "")
        if review.checkov_ran
        else "**checkov could not run: this review is incomplete**"
        if review.checkov_missing
        else "checkov not run (`--no-checkov`)"
    )
    summary = _total_summary(review)
    lines = [
        "## trellis plan review",
        "",
        f"{verdict} {_plural(widening, 'IAM change')} widening access"
        + (f", {pending} pending until apply" if pending else "")
        + f" · {_plural(hints, 'hint')} for the reviewer"
        f" · {_plural(posture, 'security posture change')} · {checkov}.",
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
        text += f" (and {_plural(n['read'], 'data source')} read during apply)"
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


def _destructive(review: Review) -> list[_Section]:
    rows = [d for s in review.stacks for d in s.destructions]
    blocking = [d for d in rows if d.blocking]
    others = [d for d in rows if not d.blocking]
    head = f"### What blocks ({len(blocking)})\n\n"
    if not blocking:
        head += (
            "Nothing: no resource holding data or key material is deleted or replaced "
            "without an allowance.\n\n"
        )
        sections = [_Section(head, [], keep=0)]
    else:
        tail = (
            "\nTo go ahead, allow each address on purpose: `trellis review PLAN.json "
            "--allow-destroy ADDRESS` (or `STACK:ADDRESS`).\n\n"
        )
        sections = [_Section(head + _TABLE, [_destructive_row(d) for d in blocking], tail, keep=0)]
    if others:
        sections.append(
            _Section(
                f"Other destructive changes ({len(others)}):\n\n" + _TABLE,
                [_destructive_row(d) for d in others],
                "\n",
                keep=3,
            )
        )
    return sections


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


def _iam(review: Review) -> list[_Section]:
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
            _Section(
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
    sections = [_Section(head, items, "\n", keep=0)]
    if narrowing:
        sections.append(
            _Section(
                f"Narrowed or removed ({len(narrowing)}):\n\n",
                [_iam_item(i) for i in narrowing],
                "\n",
                keep=2,
            )
        )
    return sections


def _hints(review: Review) -> _Section:
    hints = [h for s in review.stacks for h in s.hints]
    head = f"### What a reviewer should know ({len(hints)})\n\n"
    if not hints:
        return _Section(
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
    return _Section(head, items, "\n", keep=1)


def _images(review: Review) -> list[_Section]:
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
    return [_Section(head, items, "\n", keep=5)]


def _posture(review: Review) -> _Section:
    rows = [p for s in review.stacks for p in s.posture]
    head = f"### What changes security posture ({len(rows)})\n\n"
    if not rows:
        return _Section(head + "No protection is weakened.\n\n", [], keep=5)
    head += (
        "| root stack | resource | change | attribute | before | after |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
    )
    items = [
        f"| {code(p.stack)} | {code(p.address)} | {p.title} | {code(p.attribute)} | "
        f"{code(p.before)} | {code(p.after)} |\n"
        for p in rows
    ]
    return _Section(head, items, "\n", keep=5)


def _checkov_errors(review: Review) -> _Section:
    errors = review.checkov_errors
    head = (
        f"**{_plural(len(errors), 'check')} did not run**: checkov raised an error, so "
        "they neither passed nor failed:\n\n"
        "| root stack | check | resource | error |\n| --- | --- | --- | --- |\n"
    )
    items = [
        f"| {code(e.stack)} | {code(e.check_id)} | {code(e.resource)} | {code(e.error)} |\n"
        for e in errors
    ]
    return _Section(head, items, "\n", keep=1)


def _checkov(review: Review) -> list[_Section]:
    if review.checkov_missing:
        return [
            _Section(
                "### checkov on the plan\n\n**Not run: this review is incomplete.** "
                f"{review.checkov_missing.replace('|', chr(92) + '|')}\n\n",
                [],
                keep=4,
            )
        ]
    if not review.checkov_ran:
        return [_Section("### checkov on the plan\n\nNot run (`--no-checkov`).\n\n", [], keep=4)]
    rows = [c for s in review.stacks for c in s.checkov]
    head = f"### checkov on the plan ({_plural(len(rows), 'failed check')})\n\n"
    errors = [_checkov_errors(review)] if review.checkov_errors else []
    if not rows:
        verdict = (
            "No check failed, but not every check ran (see above).\n\n"
            if errors
            else "Every check passed.\n\n"
        )
        return [_Section(head, [], keep=4), *errors, _Section(verdict, [], keep=4)]
    items = [
        f"| {code(c.stack)} | {code(c.check_id)} | {code(c.resource)} | "
        f"{c.check_name.replace('|', chr(92) + '|')} |\n"
        for c in rows
    ]
    return [
        _Section(head, [], keep=4),
        *errors,
        _Section(
            "<details><summary>Failed checks</summary>\n\n"
            "| root stack | check | resource | what it wants |\n| --- | --- | --- | --- |\n",
            items,
            "\n</details>\n\n",
            keep=4,
        ),
    ]


def _counts(review: Review) -> _Section:
    forget = any(s.summary["forget"] for s in review.stacks)
    columns = ["to add", "to change", "to destroy", *(["to forget"] if forget else [])]
    columns += ["of which replaced", "data sources read"]
    head = (
        "### Counts (Terraform's summary)\n\n| root stack | "
        + " | ".join(columns)
        + " |\n"
        + "| --- |"
        + " ---: |" * len(columns)
        + "\n"
    )
    items = []
    for s in review.stacks:
        n = s.summary
        cells = [n["add"], n["change"], n["destroy"], *([n["forget"]] if forget else [])]
        cells += [s.counts.get(Action.REPLACE, 0), n["read"]]
        items.append(f"| {code(s.name)} | " + " | ".join(str(c) for c in cells) + " |\n")
    return _Section(head, items, "\n", keep=6)


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
        n = stack.summary
        reads = f", {n['read']} read" if n["read"] else ""
        head = "" if sections else "### Details\n\n"
        head += (
            f"<details><summary>{escape(stack.name)}: "
            f"{n['add']} to add, {n['change']} to change, {n['destroy']} to destroy{reads} "
            f"({escape(stack.plan_file)}, "
            f"Terraform {escape(stack.terraform_version)})</summary>\n\n"
        )
        sections.append(
            _Section(head, [_change_item(c) for c in stack.changes], "\n</details>\n\n", keep=8)
        )
    return sections


def _where(artifact: str | None, full_file: str | None) -> str:
    places = []
    if full_file:
        places.append(f"the file {code(full_file)}")
    if artifact:
        places.append(f"the artifact {code(artifact)}")
    if not places:
        return "the JSON review (`trellis review --format json`)"
    return " of ".join(places)


def _note(artifact: str | None, left_out: int, full_file: str | None = None) -> str:
    return (
        f"\n---\n**Cut to fit:** {_plural(left_out, 'item')} left out. "
        f"The full review is in {_where(artifact, full_file)}.\n"
    )


def _overflow(max_chars: int, artifact: str | None, full_file: str | None) -> str:
    return (
        f"> **⚠️ The blocking and IAM sections alone exceed {max_chars:,} characters**, so "
        f"even they are cut here. Read them complete in {_where(artifact, full_file)}.\n\n"
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


def _fit(
    sections: Sequence[_Section], max_chars: int, artifact: str | None, full_file: str | None
) -> str:
    """Sections by ``keep`` (lower first) while they fit, in document order."""
    whole = [s.head + "".join(s.items) + s.tail for s in sections]
    if not max_chars or sum(map(len, whole)) <= max_chars:
        return "".join(whole)
    must = sum(len(t) for t, s in zip(whole, sections, strict=True) if s.keep == 0)
    overflow = must + len(_note(artifact, 10**9, full_file)) > max_chars
    warning = _overflow(max_chars, artifact, full_file) if overflow else ""
    room = max_chars - len(_note(artifact, 10**9, full_file)) - len(warning)
    texts: list[str] = [""] * len(sections)
    left_out = 0
    for index in sorted(range(len(sections)), key=lambda i: (sections[i].keep, i)):
        text, left = _fill(sections[index], max(room, 0))
        texts[index] = text
        room -= len(text)
        left_out += left
    if warning:  # below the summary, above what blocks
        texts[0] += warning
    text = "".join(texts) + _note(artifact, max(left_out, 1), full_file)
    if len(text) > max_chars:  # a cap shorter than the summary and the notes
        note = _note(artifact, max(left_out, 1), full_file)
        text = text[: max(max_chars - len(note), 0)]
        text = text[: text.rfind("\n") + 1] + note
    return text[:max_chars]


def _graphs(graphs: Mapping[str, str]) -> list[_Section]:
    if not graphs:
        return []
    items = [
        f"<details><summary>Data flow of {escape(stack)}</summary>\n\n"
        f"```mermaid\n{text.rstrip()}\n```\n\n</details>\n"
        for stack, text in sorted(graphs.items())
    ]
    return [_Section("### Data flow of the changed blueprints\n\n", items, "\n", keep=7)]


def render_markdown(
    review: Review,
    max_chars: int = DEFAULT_MAX_CHARS,
    artifact: str | None = None,
    graphs: Mapping[str, str] | None = None,
    full_file: str | None = None,
) -> str:
    """The review as Markdown of at most ``max_chars`` characters (0: no limit).

    ``artifact`` names where the full review is published (an uploaded artifact) and
    ``full_file`` the file the caller wrote the complete Markdown to; the notes of a cut
    document point there. ``graphs`` maps a root stack's name to the Mermaid graph of its
    blueprint (``trellis graph``); they follow the counts.
    """
    sections: list[_Section] = [
        _Section(_summary(review), [], keep=0),
        *_destructive(review),
        *_iam(review),
        _hints(review),
        _posture(review),
        *_images(review),
        *_checkov(review),
        _counts(review),
        *_graphs(graphs or {}),
        *_details(review),
    ]
    return _fit(sections, max_chars, artifact, full_file)
