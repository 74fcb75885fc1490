"""Properties: deleting what holds data always blocks; no deletion ever widens access."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.review import review_plans
from generator.review.holdings import Kind, load_table
from generator.review.iam_bucket_acl import ACL_TYPES
from generator.review.iam_policy_attributes import ATTACHMENTS, IDENTITY, RESOURCE, TRUST
from tests.review.planbuilder import Res, policy_json, write_plan

TABLE = load_table()
PRECIOUS = sorted(t for t, h in TABLE.items() if h.kind in (Kind.DATA, Kind.KEY))
POLICY_TYPES = sorted({*IDENTITY, *RESOURCE, *TRUST})

names = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
modules = st.one_of(st.just(""), names.map(lambda n: f"module.{n}"))
destroy_actions = st.sampled_from([["delete"], ["delete", "create"], ["create", "delete"]])
actions = st.lists(
    st.sampled_from(["s3:GetObject", "s3:*", "*", "kms:Decrypt", "sqs:SendMessage", "iam:Pass*"]),
    min_size=1,
    max_size=3,
    unique=True,
)
principals = st.one_of(
    st.just("*"),
    st.fixed_dictionaries({"AWS": st.sampled_from(["*", "arn:aws:iam::444455556666:root"])}),
    st.fixed_dictionaries({"Service": st.just("lambda.amazonaws.com")}),
)
conditions = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {"StringEquals": st.fixed_dictionaries({"aws:SourceAccount": st.just("111122223333")})}
    ),
)


@st.composite
def statements(draw: st.DrawFn) -> dict[str, Any]:
    """One policy statement of any effect, with or without a principal and a condition."""
    statement: dict[str, Any] = {
        "Effect": draw(st.sampled_from(["Allow", "Deny"])),
        "Action": draw(actions),
        "Resource": draw(st.sampled_from(["*", "arn:aws:s3:::b/*", "arn:aws:sqs:*:*:q"])),
    }
    if draw(st.booleans()):
        statement["Principal"] = draw(principals)
    condition = draw(conditions)
    if condition:
        statement["Condition"] = condition
    return statement


def _review(resources: list[Res]) -> Any:
    with tempfile.TemporaryDirectory() as tmp:
        return review_plans([write_plan(Path(tmp) / "plan.json", resources)], run_checkov=False)


@settings(max_examples=120, deadline=None)
@given(
    resource_type=st.sampled_from(PRECIOUS),
    name=names,
    module=modules,
    raw=destroy_actions,
    allowed_other=st.booleans(),
)
def test_destroying_data_or_key_material_always_blocks(
    resource_type: str, name: str, module: str, raw: list[str], allowed_other: bool
) -> None:
    """Any delete or replace of a data-holding or key type blocks and says what is lost."""
    after = None if raw == ["delete"] else {"name": f"{name}-2"}
    review = _review([Res(resource_type, name, raw, {"name": name}, after, module=module)])
    (destruction,) = review.blocking
    assert destruction.type == resource_type
    assert destruction.lost == TABLE[resource_type].lost
    assert review.exit_code == 1


@settings(max_examples=150, deadline=None)
@given(
    resource_type=st.sampled_from(POLICY_TYPES),
    policy=st.lists(statements(), min_size=1, max_size=4),
    boundary=st.booleans(),
    module=modules,
)
def test_no_deletion_widens_access(
    resource_type: str, policy: list[dict[str, Any]], boundary: bool, module: str
) -> None:
    """Deleting any policy-holding resource is never reported as widening access."""
    attribute = {**IDENTITY, **RESOURCE, **TRUST}[resource_type]
    before: dict[str, Any] = {"name": "p", attribute: policy_json(policy)}
    if boundary:
        before["permissions_boundary"] = "arn:aws:iam::111122223333:policy/boundary"
        before["inline_policy"] = [{"name": "inline", "policy": policy_json(policy)}]
    review = _review([Res(resource_type, "p", ["delete"], before, None, module=module)])
    for change in review.stacks[0].iam:
        assert not change.widens, change
        assert not change.pending, change


@settings(max_examples=60, deadline=None)
@given(resource_type=st.sampled_from(sorted({*ATTACHMENTS, *ACL_TYPES})), module=modules)
def test_no_deletion_of_attachments_or_grants_widens(resource_type: str, module: str) -> None:
    """Deleting a policy attachment or a bucket ACL with cross-account grants only narrows."""
    before = {
        "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess",
        "role": "r",
        "user": "u",
        "group": "g",
        "acl": "public-read-write",
    }
    review = _review([Res(resource_type, "x", ["delete"], before, None, module=module)])
    assert not any(change.widens for change in review.stacks[0].iam)
