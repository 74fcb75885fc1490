"""HCL literals: every value a blueprint can carry reads back as exactly itself."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import hcl2
import pytest
from hcl2.utils import SerializationOptions
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render.hcl import hcl, hcl_string
from tests.helpers.terraform import evaluate_literals

HOSTILE = [
    'quote " inside',
    "back\\slash and \\n literal",
    "${var.secret}",
    "%{ if true }x%{ endif }",
    "$${already escaped}",
    "line\nbreak\r\nand\ttab",
    "*/ /* comment breakers # //",
    "non-ASCII: café, 東京, emoji 🚀, RTL \u202e",
    "null byte \x00 and bell \x07",
    '"} resource "aws_s3_bucket" "evil" { bucket = "x',
    "EOT\n<<EOT\nheredoc\nEOT",
    "unicode line separator \u2028 and \u2029",
    "",
]
_VALUES = SerializationOptions(strip_string_quotes=True, with_comments=False, explicit_blocks=False)


def _python_hcl2_value(literal: str) -> Any:
    return hcl2.loads(f"value = {literal}\n", serialization_options=_VALUES)["value"]


def _as_python_hcl2_reads(text: str) -> str:
    """python-hcl2 decodes backslash escapes but leaves the template escapes $${ and %%{
    as written (Terraform decodes both: checked against the real Terraform above)."""
    result = []
    for index, char in enumerate(text):
        closed = "}" in text[index + 2 :]
        if char in "$%" and text[index + 1 : index + 2] == "{" and closed:
            result.append(char)
        result.append(char)
    return "".join(result)


def test_hostile_strings_evaluate_to_themselves_in_terraform(tmp_path: Path) -> None:
    """The embedded Terraform evaluates each hostile literal to exactly the input."""
    rng = random.Random(20261125)
    alphabet = '"\\$%{}\n\r\t\x00\x1b*/#é東🚀\u2028 abc'
    generated = [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(200)
    ]
    texts = HOSTILE + generated
    values = evaluate_literals(tmp_path, {f"v{i}": hcl_string(t) for i, t in enumerate(texts)})
    assert [values[f"v{i}"] for i in range(len(texts))] == texts


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_string_parses_back_with_python_hcl2(text: str) -> None:
    """python-hcl2 reads the literal as one string with the same content."""
    assert _python_hcl2_value(hcl_string(text)) == _as_python_hcl2_reads(text)


def test_hostile_string_adds_no_block() -> None:
    """A string that tries to close the block and open a resource stays a string."""
    document = hcl2.loads(
        f"locals {{\n  a = {hcl(HOSTILE[9])}\n}}\n", serialization_options=_VALUES
    )
    assert set(document) == {"locals"}
    assert document["locals"] == [{"a": HOSTILE[9]}]


def test_nested_values_round_trip(tmp_path: Path) -> None:
    """Lists and maps, with keys that need quoting, evaluate back exactly."""
    value = {"plain": [1, 2.5, True, None], "needs quoting": {"a.b": "${x}"}, "n": -3}
    assert evaluate_literals(tmp_path, {"v": hcl(value)})["v"] == value


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), object(), b"bytes"])
def test_values_without_a_literal_are_refused(bad: object) -> None:
    """NaN, infinity, bytes and arbitrary objects are bugs, not output."""
    with pytest.raises(TypeError):
        hcl(bad)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_parses_back(text: str) -> None:
    """Any Unicode text is emitted as one literal that python-hcl2 reads back."""
    assert _python_hcl2_value(hcl_string(text)) == _as_python_hcl2_reads(text)
