"""IAM diff: actions, resources, trust policies, boundaries, documents known after apply."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.iam.model import PolicyError, action_matches, arn_matches
from generator.review import IamChange, ResourceWidening, Review, review_plans
from generator.review.iam_diff import diff_policies
from generator.review.policy import parse_policy
from tests.review.conftest import DEV
from tests.review.planbuilder import Res, arn, policy_json, write_plan


def _iam(review: Review, address: str, document: str, stack: str = "dev/orders") -> IamChange:
    return next(
        i
        for s in review.stacks
        for i in s.iam
        if s.name == stack and i.address == address and i.document == document
    )


def test_policy_broadened_from_one_arn_to_star(fixture_review: Review) -> None:
    """A table ARN replaced by `*` is a new wildcard that replaces that ARN."""
    change = _iam(fixture_review, "aws_iam_role_policy.worker", "policy")
    assert change.widens
    assert change.actions_added == ("dynamodb:DeleteItem",)
    assert change.resources_widened == (
        ResourceWidening(
            "*",
            "wildcard",
            ("dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem"),
            (arn("dynamodb", "table/dev-orders"),),
        ),
    )
    assert change.resources_removed == (arn("dynamodb", "table/dev-orders"),)


def test_trust_policy_condition_widened(fixture_review: Review) -> None:
    """A GitHub OIDC subject widened from one branch to every repository is flagged wider."""
    change = _iam(fixture_review, "aws_iam_role.deploy", "assume_role_policy")
    assert change.kind == "trust"
    (condition,) = change.conditions
    assert condition.condition == "StringLike token.actions.githubusercontent.com:sub"
    assert condition.before == ("repo:acme/orders:ref:refs/heads/main",)
    assert condition.after == ("repo:acme/*",)
    assert condition.widened


def test_permissions_boundary_removed(fixture_review: Review) -> None:
    """Removing a role's permissions boundary is reported with the old boundary."""
    change = _iam(fixture_review, "aws_iam_role.deploy", "permissions_boundary")
    assert change.widens
    assert change.notes == (
        "permissions boundary removed (was arn:aws:iam::111122223333:policy/trellis-boundary)",
    )


def test_jsonencoded_inline_policy_gains_an_action(fixture_review: Review) -> None:
    """An inline policy (jsonencode output) that gains iam:PassRole on role/dev-* is shown."""
    change = _iam(fixture_review, "aws_iam_role.deploy", "inline_policy[deploy-state]")
    assert change.actions_added == ("iam:PassRole",)
    assert [w.resource for w in change.resources_widened] == [
        "arn:aws:iam::111122223333:role/dev-*"
    ]


def test_policy_from_data_source_read_during_apply(fixture_review: Review) -> None:
    """A policy known after apply is said so, with its data source and planned actions."""
    change = _iam(fixture_review, "aws_iam_role_policy.reader", "policy")
    assert change.unknown
    assert change.source == "data.aws_iam_policy_document.reader"
    assert change.actions_added == ("sqs:DeleteMessage", "sqs:ReceiveMessage")
    assert [w.kind for w in change.resources_widened] == ["unknown"]


def test_unconfigured_computed_policy_is_not_reported(fixture_review: Review) -> None:
    """A queue's policy the provider computes (not configured) is not an IAM change."""
    addresses = {i.address for s in fixture_review.stacks for i in s.iam}
    assert "module.pipeline.module.queue.aws_sqs_queue.main" not in addresses
    assert "aws_sqs_queue.intake" not in addresses


def test_jsonencode_with_unknown_parts_is_known_after_apply(tmp_path: Path) -> None:
    """A jsonencoded policy that references a resource created in the same apply is unknown."""
    plan = write_plan(
        tmp_path / "dev" / "svc" / "plan.json",
        [
            Res(
                "aws_iam_role_policy",
                "worker",
                ["create"],
                None,
                {"name": "worker", "role": "svc"},
                unknown=[("id",), ("policy",)],
                expressions={
                    "name": {"constant_value": "worker"},
                    "policy": {"references": ["aws_sqs_queue.main.arn", "aws_sqs_queue.main"]},
                },
            ),
        ],
    )
    (change,) = review_plans([plan], run_checkov=False).stacks[0].iam
    assert change.unknown
    assert change.source == "aws_sqs_queue.main.arn"
    assert change.notes == (
        "pending: the document is known only after apply; it comes from aws_sqs_queue.main.arn",
    )


def test_sensitive_policy_is_not_parsed_or_shown(tmp_path: Path) -> None:
    """A policy marked sensitive yields a note, not its actions."""
    policy = policy_json([{"Action": "s3:GetObject", "Effect": "Allow", "Resource": "*"}])
    plan = write_plan(
        tmp_path / "p.json",
        [
            Res(
                "aws_iam_policy",
                "p",
                ["create"],
                None,
                {"name": "p", "policy": policy},
                sensitive=[("policy",)],
                unknown=[("arn",), ("id",)],
            ),
        ],
    )
    (change,) = review_plans([plan], run_checkov=False).stacks[0].iam
    assert change.actions_added == ()
    assert "marked sensitive" in change.notes[0]


def test_deny_removed_and_not_action_are_notes() -> None:
    """Dropping a Deny and adding an Allow with NotAction are reported as widening notes."""
    before = parse_policy(
        policy_json(
            [
                {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"},
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
            ]
        )
    )
    after = parse_policy(
        policy_json(
            [
                {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
            ]
        )
    )
    diff = diff_policies(before, after)
    assert diff.notes == [
        "Allow with NotAction (everything except iam:*)",
        "Deny removed for s3:DeleteBucket",
    ]


def test_wider_arn_and_narrower_arn() -> None:
    """`bucket/*` → `*/*` widens and replaces; `bucket/*` → `bucket/logs/*` does not widen."""
    old = parse_policy(
        policy_json([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}])
    )
    wider = parse_policy(
        policy_json([{"Effect": "Allow", "Action": "s3:getobject", "Resource": "arn:aws:s3:::*/*"}])
    )
    narrower = parse_policy(
        policy_json(
            [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/logs/*"}]
        )
    )
    assert diff_policies(old, wider).resources_widened == [
        ResourceWidening("arn:aws:s3:::*/*", "wildcard", ("s3:getobject",), ("arn:aws:s3:::b/*",))
    ]
    assert diff_policies(old, wider).actions_added == []
    assert diff_policies(old, narrower).resources_widened == []
    assert diff_policies(old, narrower).resources_removed == ["arn:aws:s3:::b/*"]


def test_action_wildcard_covers_named_actions() -> None:
    """`s3:Get*` replacing `s3:GetObject` is an added action; the reverse removes one."""
    named = parse_policy(
        policy_json([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}])
    )
    star = parse_policy(policy_json([{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]))
    assert diff_policies(named, star).actions_added == ["s3:Get*"]
    assert diff_policies(star, named).actions_added == []
    assert diff_policies(star, named).actions_removed == ["s3:Get*"]


def test_trust_principal_added() -> None:
    """A new principal in a trust policy is reported with the actions it may call."""
    before = parse_policy(
        policy_json(
            [
                {
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                }
            ]
        )
    )
    after = parse_policy(
        policy_json(
            [
                {
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Principal": {"Service": "lambda.amazonaws.com", "AWS": "*"},
                }
            ]
        )
    )
    (added,) = diff_policies(before, after).principals
    assert (added.principal, added.change, added.actions) == ("*", "added", ("sts:AssumeRole",))


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        ("*", "arn:aws:s3:::b", True),
        ("arn:aws:s3:::b/*", "arn:aws:s3:::b/logs/*", True),
        ("arn:aws:s3:::b/logs/*", "arn:aws:s3:::b/*", False),
        ("s3:Get*", "s3:getobject", True),
        ("arn:aws:sqs:*:1:q?", "arn:aws:sqs:eu-west-1:1:q1", True),
        ("arn:aws:s3:::b.c", "arn:aws:s3:::bxc", False),
    ],
)
def test_covers_follows_iam_wildcards(pattern: str, value: str, expected: bool) -> None:
    """`*` and `?` are IAM wildcards; every other character is literal."""
    matches = arn_matches if pattern.startswith("arn:") or pattern == "*" else action_matches
    assert matches(pattern, value) is expected


def test_invalid_policy_json_is_a_policy_error() -> None:
    """A document that is not JSON raises PolicyError naming the problem."""
    with pytest.raises(PolicyError, match="not valid JSON"):
        parse_policy("{not json")


def test_dev_plan_iam_order_puts_changed_access_first() -> None:
    """Widening changes to existing access are listed before access that is new."""
    from generator.review import render_markdown

    review = review_plans([DEV], run_checkov=False)
    text = render_markdown(review)
    assert text.index("aws_iam_role_policy.worker`: policy") < text.index(
        "aws_iam_role_policy.reader`: policy"
    )


def test_condition_added_or_narrowed_does_not_widen() -> None:
    """A new condition, or a wildcard value replaced by one it covers, narrows access."""
    open_trust = {
        "Effect": "Allow",
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Principal": {"Federated": "gh"},
    }
    star = dict(open_trust, Condition={"StringLike": {"sub": "repo:acme/*"}})
    main = dict(open_trust, Condition={"StringLike": {"sub": "repo:acme/app:ref:main"}})
    other = dict(open_trust, Condition={"StringLike": {"sub": "repo:evil/app:ref:main"}})
    (added,) = diff_policies(
        parse_policy(policy_json([open_trust])), parse_policy(policy_json([star]))
    ).conditions
    assert added.narrowed and not added.widened
    (narrowed,) = diff_policies(
        parse_policy(policy_json([star])), parse_policy(policy_json([main]))
    ).conditions
    assert narrowed.narrowed and not narrowed.widened
    (moved,) = diff_policies(
        parse_policy(policy_json([main])), parse_policy(policy_json([other]))
    ).conditions
    assert not moved.narrowed and not moved.widened  # someone else gets in: still reported
