"""The one IAM policy model: parsing, its JSON form and IAM's matching rules."""

from __future__ import annotations

import json
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.iam.model import (
    Condition,
    PolicyDocument,
    PolicyError,
    Principal,
    Statement,
    action_matches,
    arn_matches,
    glob_matches,
    parse_document,
    parse_policy_json,
    parse_statement,
    resource_matches_format,
)

LOG_GROUP_FORMAT = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}"


@pytest.mark.parametrize(
    ("pattern", "action", "expected"),
    [
        ("s3:GetObject", "s3:getobject", True),
        ("S3:GETOBJECT", "s3:GetObject", True),
        ("s3:Get*", "s3:GetObjectTagging", True),
        ("s3:Get*", "s3:PutObject", False),
        ("s3:*", "s3:PutObject", True),
        ("*", "dynamodb:PutItem", True),
        ("sqs:?eleteMessage", "sqs:DeleteMessage", True),
        ("sqs:?eleteMessage", "sqs:eleteMessage", False),
        ("s3:Get.bject", "s3:GetObject", False),
        ("s3:GetObject", "s3:GetObjectAcl", False),
    ],
)
def test_action_globs_ignore_case(pattern: str, action: str, expected: bool) -> None:
    """Actions match case-insensitively; `*` is any run, `?` one character, the rest literal."""
    assert action_matches(pattern, action) is expected


@pytest.mark.parametrize(
    ("pattern", "arn", "expected"),
    [
        ("*", "arn:aws:s3:::bucket", True),
        ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/logs/2026/a.json", True),
        ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", False),
        ("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/a", False),
        ("arn:aws:sqs:*:123456789012:q", "arn:aws:sqs:eu-west-1:123456789012:q", True),
        ("arn:aws:sqs:eu-west-?:123456789012:q", "arn:aws:sqs:eu-west-1:123456789012:q", True),
        ("arn:aws:sqs:eu-west-?:123456789012:q", "arn:aws:sqs:eu-west-10:123456789012:q", False),
        # a scope wildcard never spans a ':'; the resource part may hold ':' and '/'
        ("arn:aws:sqs:*:1:q", "arn:aws:sqs:eu:west:1:q", False),
        ("arn:aws:logs:r:1:log-group:g:*", "arn:aws:logs:r:1:log-group:g:log-stream:s", True),
        ("arn:aws:dynamodb:r:1:table/t", "arn:aws:dynamodb:r:1:table/t/index/i", False),
        ("arn:aws:dynamodb:r:1:table/t*", "arn:aws:dynamodb:r:1:table/t/index/i", True),
        # a pattern starting arn: with too few segments names nothing
        ("arn:aws:*", "arn:aws:s3:::bucket", False),
        ("arn:aws:s3:::b.c", "arn:aws:s3:::bxc", False),
    ],
)
def test_arn_wildcards_match_per_segment(pattern: str, arn: str, expected: bool) -> None:
    """ARNs match case-sensitively, `*`/`?` within one scope segment, the resource as a whole."""
    assert arn_matches(pattern, arn) is expected


def test_literal_wildcards_in_the_matched_text_are_characters() -> None:
    """A grant on bucket/* covers one on bucket/logs/*, never the reverse."""
    assert arn_matches("arn:aws:s3:::b/*", "arn:aws:s3:::b/logs/*")
    assert not arn_matches("arn:aws:s3:::b/logs/*", "arn:aws:s3:::b/*")
    assert action_matches("s3:*", "s3:Get*")
    assert not action_matches("s3:Get*", "s3:*")


def test_plain_glob_is_case_sensitive_unless_asked() -> None:
    """Condition values compare exactly, or ignoring case for the IgnoreCase operators."""
    assert not glob_matches("Prod-*", "prod-orders")
    assert glob_matches("Prod-*", "prod-orders", ignore_case=True)


def test_resource_type_check_uses_the_same_segment_rule() -> None:
    """A region wildcard cannot swallow the account to name a log group, as in arn_matches."""
    assert resource_matches_format("arn:aws:logs:*:1:log-group:g", LOG_GROUP_FORMAT)
    assert resource_matches_format("arn:aws:logs:r:1:log-group:g:*", LOG_GROUP_FORMAT)
    assert not resource_matches_format("arn:aws:logs:*:log-group:g", LOG_GROUP_FORMAT)
    assert not arn_matches("arn:aws:logs:*:log-group:g", "arn:aws:logs:r:1:log-group:g")


def test_not_elements_and_conditions_are_carried() -> None:
    """NotAction, NotResource and every condition survive parsing and the JSON form."""
    raw = {
        "Sid": "Except",
        "Effect": "Deny",
        "NotAction": ["iam:*", "sts:*"],
        "NotResource": "arn:aws:s3:::b/*",
        "Condition": {
            "Bool": {"aws:SecureTransport": False},
            "StringEquals": {"kms:ViaService": ["sqs.eu-west-1.amazonaws.com"]},
        },
    }
    statement = parse_statement(raw)
    assert statement.not_actions == ("iam:*", "sts:*")
    assert statement.not_resources == ("arn:aws:s3:::b/*",)
    assert (statement.actions, statement.resources) == ((), ())
    assert statement.conditions == (
        Condition("Bool", "aws:SecureTransport", ("false",)),
        Condition("StringEquals", "kms:ViaService", ("sqs.eu-west-1.amazonaws.com",)),
    )
    assert statement.condition_keys() == {"aws:securetransport", "kms:viaservice"}
    assert not statement.allows
    assert statement.to_json() == {
        "Sid": "Except",
        "Effect": "Deny",
        "NotAction": ["iam:*", "sts:*"],
        "NotResource": ["arn:aws:s3:::b/*"],
        "Condition": {
            "Bool": {"aws:SecureTransport": ["false"]},
            "StringEquals": {"kms:ViaService": ["sqs.eu-west-1.amazonaws.com"]},
        },
    }


def test_principals_keep_their_kind() -> None:
    """`Principal: "*"` is anyone; an object lists each identifier under its kind."""
    anyone = parse_statement({"Effect": "Allow", "Principal": "*", "Action": "sqs:*"})
    assert [p.label for p in anyone.principals] == ["*"]
    service = parse_statement(
        {"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"]}, "Action": "x:y"}
    )
    assert service.principals == (Principal("Service", "lambda.amazonaws.com"),)
    assert service.principals[0].label == "Service:lambda.amazonaws.com"


def test_canonical_form_ignores_order_duplicates_and_sid() -> None:
    """Two statements granting the same compare equal once canonical."""
    a = parse_statement({"Sid": "A", "Effect": "Allow", "Action": ["b:B", "a:A", "a:A"]})
    b = parse_statement({"Sid": "B", "Effect": "Allow", "Action": ["a:A", "b:B"]})
    assert a != b
    assert a.canonical() == b.canonical()
    assert a.actions == ("b:B", "a:A", "a:A")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "not a JSON object"),
        ('{"Statement": 3}', "Statement must be an object or a list of objects"),
        ('{"Statement": ["x"]}', "Statement #1 must be an object, found str"),
        ('{"Statement": [{"Action": "s3:GetObject"}]}', "Statement #1: Effect must be"),
        (
            '{"Statement": [{"Effect": "Allow"}, {"Sid": "Logs", "Effect": "Allow", "Action": 5}]}',
            'Statement #2 \\(Sid "Logs"\\): Action must be a string or a list of strings, '
            "found int",
        ),
        (
            '{"Statement": {"Effect": "Allow", "Resource": ["a", 1]}}',
            "Resource must be a string or a list of strings, found a list holding int",
        ),
        ('{"Statement": {"Effect": "Allow", "Principal": 1}}', 'Principal must be "\\*"'),
        ('{"Statement": {"Effect": "Allow", "Condition": []}}', "Condition must be an object"),
        (
            '{"Statement": {"Effect": "Allow", "Condition": {"Bool": 1}}}',
            "Condition operator Bool must map keys to values",
        ),
    ],
)
def test_malformed_policies_say_where_and_why(document: str, message: str) -> None:
    """Each malformed policy raises PolicyError naming the statement and the element."""
    with pytest.raises(PolicyError, match=message):
        parse_policy_json(document)


_NAME = st.text(string.ascii_letters + string.digits + "-", min_size=1, max_size=12)
_ACTIONS = st.builds(lambda s, a: f"{s.lower()}:{a}", _NAME, _NAME)
_ARNS = st.builds(
    lambda service, region, account, resource: f"arn:aws:{service}:{region}:{account}:{resource}",
    _NAME,
    st.sampled_from(["", "eu-west-1", "ap-southeast-1"]),
    st.sampled_from(["", "123456789012"]),
    st.text(string.ascii_letters + string.digits + ":/-_.", min_size=1, max_size=30),
)
_STATEMENTS = st.builds(
    Statement,
    sid=st.text(string.ascii_letters, max_size=8),
    effect=st.sampled_from(["Allow", "Deny"]),
    actions=st.lists(_ACTIONS, min_size=1, max_size=4).map(tuple),
    resources=st.lists(_ARNS, min_size=1, max_size=3).map(tuple),
    conditions=st.lists(
        st.builds(
            Condition,
            st.sampled_from(["StringEquals", "ArnLike", "Bool"]),
            _NAME,
            st.lists(_NAME, min_size=1, max_size=3).map(tuple),
        ),
        max_size=1,
    ).map(tuple),
)


@given(st.lists(_STATEMENTS, max_size=4))
def test_json_form_parses_back_to_the_same_document(statements: list[Statement]) -> None:
    """What the derivation writes as JSON is read back into equal statements."""
    document = PolicyDocument(tuple(statements))
    assert parse_policy_json(json.dumps(document.to_json())) == document
    assert parse_document(document.to_json()) == document


@given(_ACTIONS)
def test_an_action_matches_itself_in_any_case(action: str) -> None:
    """Case never decides whether an action is granted."""
    assert action_matches(action, action)
    assert action_matches(action.upper(), action.lower())
    assert action_matches(action.split(":")[0] + ":*", action.swapcase())


@given(_ARNS, st.integers(min_value=1, max_value=5))
def test_a_wildcard_segment_matches_exactly_that_segment(arn: str, segment: int) -> None:
    """`*` stands for one segment: it matches the ARN, never the ARN with that segment doubled.

    A whole-string glob would let `*` swallow `svc:svc`; IAM's segment rule does not.
    """
    parts = arn.split(":", 5)
    pattern = ":".join([*parts[:segment], "*", *parts[segment + 1 :]])
    assert arn_matches(arn, arn)
    assert arn_matches(pattern, arn)
    if segment < 5:
        doubled = ":".join([*parts[: segment + 1], parts[segment], *parts[segment + 1 :]])
        assert not arn_matches(pattern, doubled)
