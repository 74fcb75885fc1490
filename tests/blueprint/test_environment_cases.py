"""environments/<name>.yaml: each case is a small patch and the exact errors it produces."""

from __future__ import annotations

import pytest

from tests.blueprint.bases import ENVIRONMENT
from tests.blueprint.cases import (
    DELETE,
    Case,
    E,
    case,
    check,
    dump,
    load_environment_text,
    patched,
)

FILE = "environments/prd.yaml"

CASES = [
    # --- tags and namespace ---------------------------------------------------------------
    case(
        "tags and namespace", {"tags": {"cost-center": "cc-1", "team": "data"}, "namespace": "acme"}
    ),
    case(
        "tag key with the aws: prefix",
        {"tags": {"aws:owner": "x"}},
        E("tags.aws:owner", "starts with 'aws:', which AWS reserves", hint="'owner'", at="key"),
    ),
    case(
        "tag value with a character AWS refuses",
        {"tags": {"owner": "a!b"}},
        E("tags.owner", "contains '!'", allowed="letters, digits, spaces", hint="'a-b'"),
    ),
    case(
        "tag key of 129 characters",
        {"tags": {"k" * 129: "x"}},
        E("tags." + "k" * 129, "is 129 characters; AWS allows 128", at="key"),
    ),
    case(
        "tag value of 257 characters",
        {"tags": {"owner": "v" * 257}},
        E("tags.owner", "is 257 characters; AWS allows 256", hint="256 characters"),
    ),
    case(
        "tag key trellis sets",
        {"tags": {"env": "x"}},
        E("tags.env", "tag key 'env' is set by trellis itself", hint="remove it"),
    ),
    case(
        "tag key with the trellis: prefix",
        {"tags": {"trellis:x": "x"}},
        E("tags.trellis:x", "which trellis reserves", hint="'x'", at="key"),
    ),
    case(
        "tag key of the namespaced env tag",
        {"namespace": "acme", "tags": {"acme:env": "x"}},
        E("tags.acme:env", "'acme:env' is set by trellis itself", allowed="acme:env"),
    ),
    case(
        "tag value a number",
        {"tags": {"owner": 5}},
        E("tags.owner", "5 is an integer; expected a string", hint='quote it: "5"'),
    ),
    case(
        "45 tags",
        {"tags": {f"k{i}": "v" for i in range(45)}},
        E("tags", "must be at most 44 items"),
    ),
    case(
        "namespace with capitals",
        {"namespace": "Acme"},
        E("namespace", "'Acme' is not 2-12 lowercase letters", hint="'acme'"),
    ),
    case(
        "namespace starting with aws",
        {"namespace": "awsome"},
        E("namespace", "starts with 'aws'", allowed="not starting with aws"),
    ),
    case(
        "name with capitals",
        {"name": "Prd"},
        E("name", "'Prd' is not a valid name", hint="'prd'"),
    ),
    case("name too short", {"name": "p"}, E("name", "'p' is not a valid name")),
    case(
        "name with a prefix S3 reserves",
        {"name": "xn--prd"},
        E("name", "starts with 'xn--', which S3 reserves", hint="try 'prd'"),
    ),
    case(
        "name starting with sthree-",
        {"name": "sthree-prd"},
        E("name", "starts with 'sthree-'", allowed="not starting with xn--"),
    ),
    case("name missing", {"name": DELETE}, E("name", "required field 'name'", at="parent")),
    case(
        "account id unquoted",
        {"account_id": 333333333333},
        E("account_id", "333333333333 is an integer; expected a string", hint='"333333333333"'),
    ),
    case(
        "account id of eleven digits",
        {"account_id": "33333333333"},
        E("account_id", "is not a 12-digit AWS account id", hint='write it as "123456789012"'),
    ),
    case(
        "account id with dashes",
        {"account_id": "3333-3333-3333"},
        E("account_id", "'3333-3333-3333' is not a 12-digit AWS account id"),
    ),
    case(
        "account id missing",
        {"account_id": DELETE},
        E("account_id", "required field 'account_id'", at="parent"),
    ),
    case(
        "region without a number",
        {"region": "ap-southeast"},
        E("region", "'ap-southeast' is not an AWS region", allowed="ap-southeast-1"),
    ),
    case("region uppercase", {"region": "AP-SOUTHEAST-1"}, E("region", "is not an AWS region")),
    case(
        "region an availability zone",
        {"region": "ap-southeast-1a"},
        E("region", "'ap-southeast-1a' is not an AWS region"),
    ),
    case("region GovCloud", {"region": "us-gov-west-1"}),
    case(
        "approval near miss",
        {"approval": "requried"},
        E("approval", "'requried' is not one of", allowed="none, required", hint="'required'"),
    ),
    case(
        "approval a boolean",
        {"approval": True},
        E("approval", "true is not one of the allowed values"),
    ),
    case("approval omitted defaults to none", {"approval": DELETE}),
    case(
        "github missing",
        {"github": DELETE},
        E("github", "required field 'github' is missing", at="parent"),
    ),
    case(
        "github repository without owner",
        {"github.repository": "data-platform"},
        E("github.repository", "'data-platform' is not a GitHub repository", allowed="owner/name"),
    ),
    case(
        "github repository a URL",
        {"github.repository": "https://github.com/acme/data-platform"},
        E("github.repository", "is not a GitHub repository"),
    ),
    case(
        "github repository missing",
        {"github.repository": DELETE},
        E("github.repository", "required field 'repository'", at="parent"),
    ),
    case(
        "github branch with dot-dot",
        {"github.branch": "release/..x"},
        E("github.branch", "'release/..x' is not a branch name"),
    ),
    case(
        "github branch with a space",
        {"github.branch": "my branch"},
        E("github.branch", "is not a branch name", allowed="main"),
    ),
    case(
        "github unknown key",
        {"github.org": "acme"},
        E("github.org", "unknown field 'org'", allowed="branch, repository", at="key"),
    ),
    case(
        "log level lowercase",
        {"log.level": "info"},
        E("log.level", "'info' is not one of", hint="did you mean 'INFO'?"),
    ),
    case(
        "log level near miss",
        {"log.level": "WARN"},
        E("log.level", "'WARN' is not one of", allowed="DEBUG, INFO, WARNING, ERROR"),
    ),
    case(
        "log level a number",
        {"log.level": 20},
        E("log.level", "20 is not one of the allowed values"),
    ),
    case(
        "retention not a CloudWatch period",
        {"log.retention_days": 366},
        E(
            "log.retention_days",
            "366 is not a CloudWatch retention period",
            allowed="1, 3, 5, 7, 14, 30",
            hint="use 365",
        ),
    ),
    case(
        "retention of ten days",
        {"log.retention_days": 10},
        E("log.retention_days", "10 is not a CloudWatch retention period", hint="use 7"),
    ),
    case(
        "retention quoted",
        {"log.retention_days": "365"},
        E("log.retention_days", "'365' is a string; expected an integer"),
    ),
    case("retention of ten years", {"log.retention_days": 3653}),
    case(
        "log unknown key near miss",
        {"log.levle": "INFO"},
        E("log.levle", "unknown field 'levle'", hint="did you mean 'level'?", at="key"),
    ),
    case(
        "log a string",
        {"log": "INFO"},
        E("log", "'INFO' is a string; expected a mapping"),
    ),
    case(
        "permissions boundary a role",
        {"permissions_boundary": "arn:aws:iam::333333333333:role/boundary"},
        E("permissions_boundary", "is not an IAM policy ARN", allowed="policy/<name>"),
    ),
    case(
        "permissions boundary a name",
        {"permissions_boundary": "workload-boundary"},
        E("permissions_boundary", "'workload-boundary' is not an IAM policy ARN"),
    ),
    case("permissions boundary null", {"permissions_boundary": None}),
    case(
        "permissions boundary in GovCloud",
        {"permissions_boundary": "arn:aws-us-gov:iam::333333333333:policy/b"},
    ),
    case(
        "overrides a list",
        {"overrides": ["orders"]},
        E("overrides", "is a list; expected a mapping"),
    ),
    case(
        "override not a mapping",
        {"overrides.orders": 5},
        E("overrides.orders", "5 is an integer; expected a mapping"),
    ),
    case(
        "override null",
        {"overrides.orders": None},
        E("overrides.orders", "the value is empty (null); expected a mapping", at="after-key"),
    ),
    case(
        "unknown top-level key near miss",
        {"aproval": "none"},
        E("aproval", "unknown field 'aproval'", hint="did you mean 'approval'?", at="key"),
    ),
    case(
        "overrides misspelled",
        {"override": {"orders": {}}},
        E("override", "unknown field", hint="did you mean 'overrides'?", at="key"),
    ),
    case(
        "account spelled in camel case",
        {"accountId": "333333333333", "account_id": DELETE},
        E("accountId", "unknown field", hint="did you mean 'account_id'?", at="key"),
        E("account_id", "required field 'account_id'", at="parent"),
    ),
    case(
        "several mistakes in one file",
        {"region": "mars-1", "log.level": "LOUD", "github.branch": "a b"},
        E("github.branch", "is not a branch name"),
        E("log.level", "'LOUD' is not one of"),
        E("region", "'mars-1' is not an AWS region"),
    ),
]


def test_the_base_environment_is_valid() -> None:
    """The base environment validates without a single diagnostic."""
    assert load_environment_text(FILE, dump(ENVIRONMENT)) == []


def test_there_are_many_failing_cases() -> None:
    """The table covers at least thirty ways to get an environment wrong."""
    assert sum(1 for c in CASES if c.errors) >= 30


@pytest.mark.parametrize("case_", CASES, ids=lambda c: c.id)
def test_case(case_: Case) -> None:
    """The patched environment produces exactly the expected errors, at the right place."""
    text = dump(patched(ENVIRONMENT, case_.patch))
    check(case_, load_environment_text(FILE, text), text, FILE)
