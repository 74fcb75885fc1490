"""Mermaid flowcharts, which GitHub renders inline in Markdown."""

from __future__ import annotations

from generator.graph.model import Graph, Shape

_SHAPES: dict[Shape, tuple[str, str]] = {
    "external": ("([", "])"),
    "function": ("[", "]"),
    "queue": ("[/", "/]"),
    "store": ("[(", ")]"),
    "topic": ("{{", "}}"),
    "edge": ("[[", "]]"),
    "schedule": ("((", "))"),
}


def _text(label: str) -> str:
    """A quoted Mermaid label; ``#``, quotes, pipes and angle brackets become Mermaid's entity
    codes (``#quot;``), so no user text can end the label or inject markup. ``<br>``
    written by the graph model stays a line break."""
    escaped = label.replace("#", "#35;").replace('"', "#quot;").replace("|", "#124;")
    escaped = escaped.replace("<br>", "\0")
    escaped = escaped.replace("<", "#lt;").replace(">", "#gt;").replace("\0", "<br>")
    return f'"{escaped}"'


def to_mermaid(graph: Graph) -> str:
    """A ``flowchart LR`` for ``graph``, ending in a newline."""
    lines = ["---", f"title: {graph.title}", "---", "flowchart LR"]
    for node in graph.nodes:
        opening, closing = _SHAPES[node.shape]
        lines.append(f"    {node.id}{opening}{_text(node.label)}{closing}")
    for edge in graph.edges:
        arrow = f"-->|{_text(edge.label)}|" if edge.label else "-->"
        lines.append(f"    {edge.source} {arrow} {edge.target}")
    return "\n".join(lines) + "\n"
