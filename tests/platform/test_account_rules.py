"""What a real account would reject, caught at validate time and by `trellis check`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import hcl2
import pytest

from generator.check.account_readiness import check_bootstrap_call, check_terraform_blocks
from generator.errors import Diagnostic
from generator.kinds.ingestion.resolve import async_limits
from generator.model.parameters import deploy_order, unwritten_parameters
from generator.pipeline import load_and_resolve
from tests.blueprint.repo import edit, errors_of, example_repository, line_of

PORTAL = "blueprints/portal.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A fresh copy of the example repository."""
    return example_repository(tmp_path)


def only(errors: list[Diagnostic]) -> Diagnostic:
    """The single diagnostic of ``errors``."""
    assert len(errors) == 1, "\n".join(d.render() for d in errors)
    return errors[0]


def test_the_examples_give_each_environment_its_own_domain_and_certificate(repo: Path) -> None:
    """Item 1: the example portal has one domain and one own-account certificate per env."""
    _, deployments = load_and_resolve(repo, ())
    sites = {d.target.env: d for d in deployments if d.blueprint == "portal"}
    domains = {env: d.spec.domain for env, d in sites.items()}  # type: ignore[attr-defined]
    assert len(set(domains.values())) == len(sites) == 3
    for d in sites.values():
        assert d.spec.certificate_arn.split(":")[4] == d.target.account_id  # type: ignore[attr-defined]


def test_certificate_of_another_account_is_refused(repo: Path) -> None:
    """Item 1: stg's certificate held by the dev account is an error in stg's file."""
    edit(repo / "environments/stg.yaml", "222222222222:certificate", "111111111111:certificate")
    error = only(errors_of(repo))
    assert error.file == "environments/stg.yaml"
    assert error.path == "overrides.portal.certificate_arn"
    assert error.line == line_of(repo / "environments/stg.yaml", "certificate_arn:")
    assert error.code == "resolve.certificate-account"
    assert "held by account 111111111111" in error.message
    assert "222222222222" in (error.allowed or "")


def test_one_domain_in_two_environments_is_refused(repo: Path) -> None:
    """Item 1: two environments serving one alternate domain name (CNAMEAlreadyExists)."""
    edit(repo / "environments/stg.yaml", "stg.portal.example.gov.sg", "dev.portal.example.gov.sg")
    error = only(errors_of(repo))
    assert error.file == "environments/stg.yaml"
    assert error.path == "overrides.portal.domain"
    assert error.code == "resolve.shared-domain"
    assert "CNAMEAlreadyExists" in error.message


def test_a_domain_in_the_blueprint_is_shared_by_every_environment(repo: Path) -> None:
    """Item 1: the old example (one domain and dev's certificate in the blueprint) fails."""
    for env in ("dev", "stg", "prd"):
        text = (repo / f"environments/{env}.yaml").read_text()
        cut = text.index("overrides:\n  portal:\n" if env == "stg" else "  portal:\n")
        (repo / f"environments/{env}.yaml").write_text(
            text[:cut] + ("" if env == "stg" else text[cut:].split("\n", 3)[3])
        )
    edit(
        repo / PORTAL,
        "spec:\n",
        "spec:\n  domain: portal.example.gov.sg\n"
        "  certificate_arn: arn:aws:acm:us-east-1:111111111111:certificate/0f3c2a9e-portal\n",
    )
    codes = sorted(d.code for d in errors_of(repo))
    assert codes == ["resolve.certificate-account"] * 2 + ["resolve.shared-domain"] * 2


def _without_writer(repo: Path) -> list[Diagnostic]:
    """The rule over the examples with the AuthFlow stack writing nothing (as before it was
    rendered): every portal deployment's read is then unwritten."""
    repository, deployments = load_and_resolve(repo, ())
    silent = [
        replace(d, resources=replace(d.resources, api_domain_parameter=""))
        if d.kind == "AuthFlow"
        else d
        for d in deployments
    ]
    return unwritten_parameters(repository, silent)


def test_reading_a_parameter_no_stack_writes_is_refused(repo: Path) -> None:
    """Item 2: the portal reads its auth API's domain, which no stack writes: an error."""
    errors = _without_writer(repo)
    assert [e.value for e in errors] == [
        f"/trellis/{env}/citizen-login/api-domain" for env in ("dev", "prd", "stg")
    ]
    error = errors[0]
    assert (error.file, error.path, error.code) == (
        PORTAL,
        "spec.auth_flow",
        "resolve.unwritten-parameter",
    )
    assert error.line == line_of(repo / PORTAL, "auth_flow:")
    assert "ParameterNotFound" in error.message
    assert "external_parameters" in (error.hint or "")


def test_the_authflow_stack_declares_the_parameter_the_portal_reads(repo: Path) -> None:
    """Item 2: the example passes because the AuthFlow kind declares what its stack writes."""
    _, deployments = load_and_resolve(repo, ())
    written = {p for d in deployments for p in d.resources.parameters_written}
    read = {r.name for d in deployments for r in d.resources.parameters_read}
    assert read == {f"/trellis/{env}/citizen-login/api-domain" for env in ("dev", "stg", "prd")}
    assert read <= written


def test_an_external_parameter_may_be_read(repo: Path) -> None:
    """Item 2: an AuthFlow deployed elsewhere: the site declares its parameter external."""
    (repo / "blueprints/citizen-login.yaml").unlink()
    for env, host in (("dev", "stg-id"), ("prd", "id")):
        line = f"  citizen-login:\n    issuer: https://{host}.singpass.gov.sg/fapi\n"
        edit(repo / f"environments/{env}.yaml", line, "")
    edit(
        repo / PORTAL,
        "spec:\n",
        "spec:\n  external_parameters: [/trellis/dev/citizen-login/api-domain]\n",
    )
    errors = errors_of(repo)
    # dev declares it; stg and prd (not overridden) read it unwritten
    assert [(e.code, e.value) for e in errors] == [
        ("resolve.unwritten-parameter", f"/trellis/{env}/citizen-login/api-domain")
        for env in ("prd", "stg")
    ]
    for env in ("stg", "prd"):
        edit(
            repo / f"environments/{env}.yaml",
            "  portal:\n",
            f"  portal:\n    external_parameters: [/trellis/{env}/citizen-login/api-domain]\n",
        )
    assert errors_of(repo) == []


def test_writers_deploy_before_their_readers(repo: Path) -> None:
    """Item 2: the deploy order puts the AuthFlow stack before the site reading its domain."""
    _, deployments = load_and_resolve(repo, ())
    order = [d.key for d in deploy_order(deployments) if d.target.env == "dev"]
    assert order.index("dev/citizen-login") < order.index("dev/portal")


@pytest.mark.parametrize(
    ("schedule", "timeout", "expected"),
    [
        ("rate(15 minutes)", 300, (1, 600)),  # a retry (60 s later) still ends by 660 s
        ("rate(15 minutes)", 600, (0, 300)),  # no room for a retry
        ("rate(1 minute)", 30, (0, 60)),  # AWS's minimum event age
        ("rate(1 day)", 900, (1, 21600)),  # AWS's maximum event age
        ("cron(0 * * * ? *)", 60, (0, 60)),  # interval unknown: no retries
    ],
)
def test_async_retries_never_overlap_the_next_run(
    schedule: str, timeout: int, expected: tuple[int, int]
) -> None:
    """Item 8: retries and event age are derived so no attempt outlives the interval."""
    assert async_limits(schedule, timeout) == expected


def _parse(text: str) -> dict:
    import io

    return hcl2.load(io.StringIO(text))


BACKEND = """
terraform {
  backend "s3" {
    bucket       = "trellis-tfstate-dev-111111111111-ap-southeast-1"
    key          = "commerce/orders/terraform.tfstate"
    region       = "ap-southeast-1"
    encrypt      = true
%s
    use_lockfile = true
  }

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "%s"
    }
  }
}
"""
KEY = '    kms_key_id   = "arn:aws:kms:ap-southeast-1:111111111111:alias/trellis-tfstate-dev"'


@pytest.mark.parametrize(
    ("key", "version", "expected"),
    [
        (KEY, "6.69.1", []),
        ("", "6.69.1", ["TRL_STATE_SSE_S3"]),  # item 9: SSE-S3 over the bucket's SSE-KMS
        (KEY, "~> 6.0", ["TRL_PROVIDER_NOT_PINNED"]),  # item 4: a range
        (KEY, "6.47.0", ["TRL_PROVIDER_NOT_PINNED"]),  # item 4: not the schema's version
    ],
)
def test_backend_and_provider_pin(key: str, version: str, expected: list[str]) -> None:
    """Items 4 and 9: state encrypted with its key, the provider pinned to the schema's."""
    findings = check_terraform_blocks(_parse(BACKEND % (key, version)), "dev/orders/b.tf", "6.69.1")
    assert [f.check_id for f in findings] == expected


BOOTSTRAP = """
module "bootstrap" {
  source                          = "../../modules/bootstrap"
  resource_prefix                 = "%s"
  state_bucket_name               = "trellis-tfstate-prd-333333333333-ap-southeast-1"
  permissions_boundary_arn        = "arn:aws:iam::333333333333:policy/workload-boundary"
  deploy_permissions_boundary_arn = %s
}
"""


@pytest.mark.parametrize(
    ("prefix", "deploy_boundary", "expected"),
    [
        ("prd-", "null", []),
        ("prd-", '"arn:aws:iam::333333333333:policy/deploy-boundary"', []),
        ("trellis-", "null", ["TRL_STATE_BUCKET_IN_PREFIX"]),  # item 11
        (
            "prd-",
            '"arn:aws:iam::333333333333:policy/workload-boundary"',
            ["TRL_DEPLOY_BOUNDARY_IS_WORKLOAD"],  # item 5
        ),
    ],
)
def test_bootstrap_state_bucket_and_deploy_boundary(
    prefix: str, deploy_boundary: str, expected: list[str]
) -> None:
    """Items 5 and 11: the state bucket outside the prefix, the deploy boundary apart."""
    parsed = _parse(BOOTSTRAP % (prefix, deploy_boundary))
    assert [f.check_id for f in check_bootstrap_call(parsed, "prd/bootstrap/main.tf")] == expected


def test_deploy_boundary_equal_to_the_workload_boundary_is_refused(repo: Path) -> None:
    """Item 5: an environment giving its deploy roles the workload boundary is an error."""
    edit(
        repo / "environments/prd.yaml",
        "permissions_boundary: arn:aws:iam::333333333333:policy/workload-boundary\n",
        "permissions_boundary: arn:aws:iam::333333333333:policy/workload-boundary\n"
        "deploy_permissions_boundary: arn:aws:iam::333333333333:policy/workload-boundary\n",
    )
    error = only(errors_of(repo))
    assert error.file == "environments/prd.yaml"
    assert error.path == "deploy_permissions_boundary"
    assert "cap what the apply role can create" in error.message
