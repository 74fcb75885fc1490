"""The bottom of the review: Terraform's counts per root stack, the data-flow graphs of the
changed blueprints and the per-resource details in collapsible ``<details>`` blocks.

These are the first sections cut when the review must fit a comment.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from generator.review.markdown_layout import Section, code
from generator.review.model import Action, Change, Review


def counts_section(review: Review) -> Section:
    """Terraform's own counts per root stack, as one table."""
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
    return Section(head, items, "\n", keep=6)


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


def detail_sections(review: Review) -> list[Section]:
    """Every changed resource per root stack, in a collapsible ``<details>`` block."""
    sections: list[Section] = []
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
            Section(head, [_change_item(c) for c in stack.changes], "\n</details>\n\n", keep=8)
        )
    return sections


def graph_sections(graphs: Mapping[str, str]) -> list[Section]:
    """The Mermaid data flow of each changed blueprint, collapsed; none without graphs."""
    if not graphs:
        return []
    items = [
        f"<details><summary>Data flow of {escape(stack)}</summary>\n\n"
        f"```mermaid\n{text.rstrip()}\n```\n\n</details>\n"
        for stack, text in sorted(graphs.items())
    ]
    return [Section("### Data flow of the changed blueprints\n\n", items, "\n", keep=7)]
