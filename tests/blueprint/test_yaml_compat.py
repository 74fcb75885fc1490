"""YAML 1.2 documents that libyaml alone would refuse are still read."""

from __future__ import annotations

import pytest

from generator.blueprint.yaml_source import read_yaml
from generator.errors import UserError


def test_url_in_a_flow_mapping_is_read() -> None:
    """`{url: https://x}` is valid YAML 1.2 and reads as a mapping."""
    document = read_yaml("b.yaml", b"http: {url: https://api.example.com/v1, n: 1}\n")
    assert document.data == {"http": {"url": "https://api.example.com/v1", "n": 1}}
    assert document.positions[("http", "url")] == (1, 13)


def test_real_syntax_errors_still_fail_with_a_position() -> None:
    """A truly broken flow sequence is still an error at the place it breaks."""
    with pytest.raises(UserError) as caught:
        read_yaml("b.yaml", b"a: [1, 2\nb: 3\n")
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.file, diagnostic.line) == ("b.yaml", 2)
