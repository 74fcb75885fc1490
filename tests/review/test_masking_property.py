"""Property: whatever the nesting, a value marked sensitive never reaches the output."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.review.values import diff_attributes

Leaf = tuple[bool, int]

leaves = st.tuples(st.booleans(), st.integers(0, 50))
trees = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), children, max_size=4),
    ),
    max_leaves=25,
)


def _split(tree: Any) -> tuple[Any, Any]:
    """(value, sensitive mask) the way Terraform writes them for this tree."""
    if isinstance(tree, tuple):
        secret, number = tree
        return (f"SECRET-{number}", True) if secret else (f"plain-{number}", False)
    if isinstance(tree, list):
        pairs = [_split(item) for item in tree]
        return [v for v, _ in pairs], [m for _, m in pairs]
    value, mask = {}, {}
    for key, item in tree.items():
        v, m = _split(item)
        value[key] = v
        if m is not False:
            mask[key] = m
    return value, mask


@settings(max_examples=150, deadline=None)
@given(
    before=st.dictionaries(st.sampled_from(["x", "y", "z"]), trees, max_size=3),
    after=st.dictionaries(st.sampled_from(["x", "y", "z"]), trees, max_size=3),
)
def test_sensitive_leaves_never_shown(before: dict[str, Any], after: dict[str, Any]) -> None:
    """diff_attributes masks every leaf marked sensitive, at any depth, on either side."""
    before_value, before_mask = _split(before)
    after_value, after_mask = _split(after)
    change = {
        "before": before_value,
        "after": after_value,
        "before_sensitive": before_mask,
        "after_sensitive": after_mask,
        "after_unknown": {},
    }
    found, _ = diff_attributes(change, limit=10_000)
    for attribute in found:
        assert "SECRET" not in attribute.before + attribute.after + attribute.path
