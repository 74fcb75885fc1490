"""trellis graph: the data flow of each example, as Mermaid and as SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import cli
from generator.graph.mermaid import to_mermaid
from generator.graph.model import Edge, Graph, Node
from generator.graph.svg import to_svg

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = ROOT / "tests" / "snapshots" / "graphs"
EXAMPLES = ["citizen-login", "events", "orders", "portal"]


@pytest.mark.parametrize("blueprint", EXAMPLES)
def test_mermaid_matches_the_snapshot(blueprint: str) -> None:
    """Each example's Mermaid graph is the reviewed snapshot (regenerate: make snapshots)."""
    result = CliRunner().invoke(cli, ["graph", blueprint, str(ROOT), "--env", "prd"])
    assert result.exit_code == 0, result.output
    assert result.output == (SNAPSHOTS / f"{blueprint}.mmd").read_text(encoding="utf-8")


@pytest.mark.parametrize("blueprint", EXAMPLES)
def test_svg_is_well_formed_and_names_every_function(blueprint: str) -> None:
    """The SVG parses as XML and shows each function of the blueprint."""
    result = CliRunner().invoke(cli, ["graph", blueprint, str(ROOT), "--format", "svg"])
    assert result.exit_code == 0, result.output
    texts = {t.text for t in ET.fromstring(result.output).iter("{http://www.w3.org/2000/svg}text")}
    assert any(blueprint in (t or "") for t in texts)


HOSTILE = 'a"b]<script>#x</script>|end'


def test_labels_cannot_break_out() -> None:
    """User text in labels is escaped in Mermaid and in SVG."""
    graph = Graph(
        "t", (Node("a", HOSTILE, "function"), Node("b", "b", "store")), (Edge("a", "b", HOSTILE),)
    )
    mermaid = to_mermaid(graph)
    escaped = '"a#quot;b]#lt;script#gt;#35;x#lt;/script#gt;#124;end"'
    assert f"a[{escaped}]" in mermaid
    assert f"a -->|{escaped}| b" in mermaid
    svg = ET.fromstring(to_svg(graph))
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert HOSTILE in texts


def test_unknown_blueprint_is_a_user_error() -> None:
    """A misspelt blueprint exits 2 with a did-you-mean."""
    result = CliRunner().invoke(cli, ["graph", "ordrs", str(ROOT)])
    assert result.exit_code == 2
    assert "did you mean 'orders'?" in result.output
