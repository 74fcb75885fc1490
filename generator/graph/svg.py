"""A self-contained SVG of a graph: no browser, no Graphviz, the same bytes every time.

Nodes are placed in columns by their longest distance from a source (edges that point
back to an earlier node, such as a token exchange, do not push a node right), rows in
the order the graph lists them. Every label is XML-escaped.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from generator.graph.model import Graph, Shape

BOX_WIDTH = 300
BOX_HEIGHT = 56
COLUMN_GAP = 120
ROW_GAP = 36
MARGIN = 24
TITLE_HEIGHT = 32
_FILL: dict[Shape, str] = {
    "external": "#f3f4f6",
    "function": "#fff4e5",
    "queue": "#e8f1fd",
    "store": "#e9f7ef",
    "topic": "#fdecea",
    "edge": "#f0ebfa",
    "schedule": "#fffbe6",
}


def _columns(graph: Graph) -> dict[str, int]:
    order = {node.id: index for index, node in enumerate(graph.nodes)}
    column = dict.fromkeys(order, 0)
    for node in graph.nodes:  # nodes are listed in flow order, so one pass settles them
        for edge in graph.edges:
            if edge.target == node.id and order[edge.source] < order[node.id]:
                column[node.id] = max(column[node.id], column[edge.source] + 1)
    return column


def to_svg(graph: Graph) -> str:
    """The SVG document for ``graph``, ending in a newline."""
    column = _columns(graph)
    rows: dict[int, int] = {}
    position: dict[str, tuple[int, int]] = {}
    for node in graph.nodes:
        row = rows.get(column[node.id], 0)
        rows[column[node.id]] = row + 1
        x = MARGIN + column[node.id] * (BOX_WIDTH + COLUMN_GAP)
        y = MARGIN + TITLE_HEIGHT + row * (BOX_HEIGHT + ROW_GAP)
        position[node.id] = (x, y)
    width = MARGIN * 2 + (max(column.values(), default=0) + 1) * (BOX_WIDTH + COLUMN_GAP)
    out = [
        "",  # the <svg> element, written once the height is known
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z"/>'
        "</marker></defs>",
        f'<text x="{MARGIN}" y="{MARGIN + 12}" font-size="16" font-weight="bold">'
        f"{escape(graph.title)}</text>",
    ]
    bottom = MARGIN + TITLE_HEIGHT + max(rows.values(), default=1) * (BOX_HEIGHT + ROW_GAP)
    lanes = 0
    for edge in graph.edges:
        sx, sy = position[edge.source]
        tx, ty = position[edge.target]
        if tx > sx:  # forward: side to side, label towards the target so fans stay apart
            x1, y1 = sx + BOX_WIDTH, sy + BOX_HEIGHT // 2
            x2, y2 = tx, ty + BOX_HEIGHT // 2
            out.append(
                f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#555" '
                'marker-end="url(#arrow)"/>'
            )
            lx, ly = (x1 + x2) // 2, (y1 + y2) // 2 - 4
        else:  # backward: down into a lane of its own below every box, then up
            lane = bottom + lanes * 22
            lanes += 1
            x1, y1 = sx + BOX_WIDTH // 2 + 12, sy + BOX_HEIGHT
            x2, y2 = tx + BOX_WIDTH // 2 - 12, ty + BOX_HEIGHT
            out.append(
                f'<path d="M {x1} {y1} L {x1} {lane} L {x2} {lane} L {x2} {y2}" '
                'fill="none" stroke="#555" stroke-dasharray="4 3" '
                'marker-end="url(#arrow)"/>'
            )
            lx, ly = (x1 + x2) // 2, lane - 4
        if edge.label:
            out.append(
                f'<text x="{lx}" y="{ly}" text-anchor="middle" fill="#333" '
                'stroke="#fff" stroke-width="4" paint-order="stroke">'
                f"{escape(edge.label)}</text>"
            )
    for node in graph.nodes:
        x, y = position[node.id]
        out.append(
            f'<rect x="{x}" y="{y}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="8" '
            f'fill="{_FILL[node.shape]}" stroke="#444"/>'
        )
        lines = node.label.split("<br>")
        for index, line in enumerate(lines):
            text = line if len(line) <= 46 else line[:45] + "…"
            baseline = y + BOX_HEIGHT // 2 + 4 + (index * 16) - (len(lines) - 1) * 8
            out.append(
                f'<text x="{x + BOX_WIDTH // 2}" y="{baseline}" text-anchor="middle">'
                f"{escape(text)}</text>"
            )
    out.append("</svg>")
    height = bottom + lanes * 22 + MARGIN
    out[0] = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">'
    )
    return "\n".join(out) + "\n"
