"""The deploy roles' trust policies, read from the bootstrap module's HCL.

The conditions are evaluated for a concrete repository and environment by substituting
the module's own locals and variables, so the test checks the strings AWS will compare.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.platform.samples import parse_module

VARIABLES = {
    "github_repository": "acme/data-platform",
    "github_branch": "main",
    "environment": "prd",
}


def _bootstrap() -> dict[str, Any]:
    return parse_module("bootstrap")


def _locals() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for document in _bootstrap().values():
        for block in document.get("locals", []):
            merged.update({k: v for k, v in block.items() if k != "__is_block__"})
    return merged


def _interpolate(text: str, locals_: dict[str, Any]) -> str:
    """Replace ${var.x} and ${local.y} (string-valued) until none is left."""

    def lookup(match: re.Match[str]) -> str:
        kind, name = match.group(1), match.group(2)
        value = VARIABLES[name] if kind == "var" else locals_[name]
        assert isinstance(value, str), f"{kind}.{name} is not a plain string"
        return value

    pattern = re.compile(r"\$\{(var|local)\.([a-z_]+)\}")
    while pattern.search(text):
        text = pattern.sub(lookup, text)
    return text


def _trust_statement() -> dict[str, Any]:
    for block in _bootstrap()["roles.tf"]["data"]:
        if "aws_iam_policy_document" in block and "trust" in block["aws_iam_policy_document"]:
            statements: list[dict[str, Any]] = block["aws_iam_policy_document"]["trust"][
                "statement"
            ]
            assert len(statements) == 1
            return statements[0]
    raise AssertionError("data.aws_iam_policy_document.trust not found in roles.tf")


def _subjects(role: str) -> list[str]:
    locals_ = _locals()
    return [_interpolate(s, locals_) for s in locals_["trust_subjects"][role]]


def _conditions() -> dict[str, tuple[str, Any]]:
    locals_ = _locals()
    return {
        _interpolate(c["variable"], locals_): (c["test"], c["values"])
        for c in _trust_statement()["condition"]
    }


def test_trust_is_web_identity_from_the_github_oidc_provider() -> None:
    """Roles are assumed with AssumeRoleWithWebIdentity, federated to GitHub's provider."""
    statement = _trust_statement()
    assert statement["actions"] == ["sts:AssumeRoleWithWebIdentity"]
    principal = statement["principals"][0]
    assert principal["type"] == "Federated"
    assert principal["identifiers"] == ["${local.github_oidc_provider_arn}"]
    oidc = _bootstrap()["oidc.tf"]["resource"][0]["aws_iam_openid_connect_provider"]["github"]
    assert _interpolate(oidc["url"], _locals()) == "https://token.actions.githubusercontent.com"
    assert oidc["client_id_list"] == ["sts.amazonaws.com"]


def test_audience_is_exactly_sts_with_string_equals() -> None:
    """aud must equal sts.amazonaws.com (StringEquals, one value)."""
    conditions = _conditions()
    assert conditions["token.actions.githubusercontent.com:aud"] == (
        "StringEquals",
        ["sts.amazonaws.com"],
    )


def test_subject_is_compared_with_string_equals_per_role() -> None:
    """sub uses StringEquals against the role's own subjects (no StringLike, no wildcard)."""
    test, values = _conditions()["token.actions.githubusercontent.com:sub"]
    assert test == "StringEquals"
    assert values == "${each.value}"
    statement_for_each = next(
        block["aws_iam_policy_document"]["trust"]["for_each"]
        for block in _bootstrap()["roles.tf"]["data"]
        if "aws_iam_policy_document" in block
    )
    assert statement_for_each == "${local.trust_subjects}"
    for role in ("plan", "apply", "image_push"):
        assert all("*" not in subject for subject in _subjects(role))


def test_apply_role_trusts_only_the_environment_subject() -> None:
    """apply: exactly repo:<owner>/<repo>:environment:<env>."""
    assert _subjects("apply") == ["repo:acme/data-platform:environment:prd"]


def test_plan_role_trusts_pull_requests_and_the_deploy_branch() -> None:
    """plan: pull requests of the repository and pushes to the deploy branch, nothing else."""
    assert _subjects("plan") == [
        "repo:acme/data-platform:pull_request",
        "repo:acme/data-platform:ref:refs/heads/main",
    ]


def test_image_push_role_trusts_only_the_deploy_branch() -> None:
    """image-push: pushes to the deploy branch only."""
    assert _subjects("image_push") == ["repo:acme/data-platform:ref:refs/heads/main"]


@pytest.mark.parametrize(
    ("role", "trust_key"), [("plan", "plan"), ("apply", "apply"), ("image_push", "image_push")]
)
def test_each_role_uses_its_own_trust_document(role: str, trust_key: str) -> None:
    """Each aws_iam_role points at data.aws_iam_policy_document.trust[<its role>]."""
    roles = {
        name: body
        for block in _bootstrap()["roles.tf"]["resource"]
        if "aws_iam_role" in block
        for name, body in block["aws_iam_role"].items()
    }
    expected = f'${{data.aws_iam_policy_document.trust["{trust_key}"].json}}'
    assert roles[role]["assume_role_policy"] == expected


def test_apply_role_carries_the_permissions_boundary() -> None:
    """The apply role has the boundary attached, and roles it creates must carry it too."""
    roles = {
        name: body
        for block in _bootstrap()["roles.tf"]["resource"]
        if "aws_iam_role" in block
        for name, body in block["aws_iam_role"].items()
    }
    # the deploy roles' own boundary, never the workload boundary their created roles carry
    assert roles["apply"]["permissions_boundary"] == "${var.deploy_permissions_boundary_arn}"
    # what the apply role may create is derived (tests/platform/test_deploy_roles.py proves
    # iam:CreateRole only with the workload boundary); the module keeps the denies
    guardrails = next(
        block["aws_iam_policy_document"]["apply_guardrails"]
        for block in _bootstrap()["guardrails.tf"]["data"]
        if "aws_iam_policy_document" in block
    )
    denies = {s["sid"] for s in guardrails["statement"] if s.get("effect") == "Deny"}
    assert "DenyRemovingPermissionsBoundaries" in denies
    assert "DenyChangesToDeployRolesAndPolicies" in denies
