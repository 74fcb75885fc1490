"""The local IAM evaluator: the subset trellis emits, and refusal of the rest."""

from __future__ import annotations

import pytest

from tests.iam.evaluate import Request, UnsupportedPolicyError, evaluate

KEY = "arn:aws:kms:ap-southeast-1:111111111111:key/k"
POLICY = {
    "Statement": [
        {"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": ["arn:aws:s3:::b/raw/*"]},
        {
            "Effect": "Allow",
            "Action": "kms:Decrypt",
            "Resource": KEY,
            "Condition": {"StringEquals": {"kms:ViaService": ["sqs.ap-southeast-1.amazonaws.com"]}},
        },
        {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/raw/secret*"},
    ]
}


@pytest.mark.parametrize(
    ("request_", "decision"),
    [
        (Request("s3:PutObject", "arn:aws:s3:::b/raw/o-1.json"), "allowed"),
        (Request("S3:putobject", "arn:aws:s3:::b/raw/o-1.json"), "allowed"),
        (Request("s3:PutObject", "arn:aws:s3:::b/other/o-1.json"), "implicit-deny"),
        (Request("s3:PutObject", "arn:aws:s3:::B/raw/o-1.json"), "implicit-deny"),
        (Request("s3:PutObject", "arn:aws:s3:::b/raw/secret.json"), "explicit-deny"),
        (
            Request("kms:Decrypt", KEY, {"kms:ViaService": "sqs.ap-southeast-1.amazonaws.com"}),
            "allowed",
        ),
        (
            Request("kms:Decrypt", KEY, {"kms:ViaService": "s3.ap-southeast-1.amazonaws.com"}),
            "implicit-deny",
        ),
        (Request("kms:Decrypt", KEY), "implicit-deny"),
    ],
)
def test_decisions(request_: Request, decision: str) -> None:
    """Actions ignore case, ARNs do not, Deny wins, conditions must hold."""
    assert evaluate(POLICY, request_) == decision


def test_negated_operator_with_missing_key_holds() -> None:
    """StringNotEquals on an absent key is true, as in IAM."""
    policy = {
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "sqs:SendMessage",
                "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:SourceVpc": "vpc-1"}},
            }
        ]
    }
    assert evaluate(policy, Request("sqs:SendMessage", "arn:aws:sqs:r:1:q")) == "allowed"


def test_unsupported_parts_are_refused() -> None:
    """Operators outside the subset raise instead of guessing."""
    policy = {
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": "*",
                "Condition": {"NumericLessThan": {"s3:max-keys": "10"}},
            }
        ]
    }
    with pytest.raises(UnsupportedPolicyError):
        evaluate(policy, Request("s3:GetObject", "arn:aws:s3:::b/k", {"s3:max-keys": "5"}))


def test_arn_wildcards_stay_within_their_segment() -> None:
    """A '*' in the region segment never spans into the account; in the resource part it may."""
    policy = {
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "logs:PutLogEvents",
                "Resource": ["arn:aws:logs:*:111111111111:log-group:/aws/lambda/f:*"],
            }
        ]
    }
    stream = "arn:aws:logs:ap-southeast-1:111111111111:log-group:/aws/lambda/f:log-stream:s"
    other = "arn:aws:logs:ap-southeast-1:222222222222:log-group:/aws/lambda/f:log-stream:s"
    assert evaluate(policy, Request("logs:PutLogEvents", stream)) == "allowed"
    assert evaluate(policy, Request("logs:PutLogEvents", other)) == "implicit-deny"
    wide = {
        "Statement": [
            {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:*:q"}
        ]
    }
    assert evaluate(wide, Request("sqs:SendMessage", "arn:aws:sqs:r:111111111111:q")) == (
        "implicit-deny"
    )
