"""Offline plans of realistic root stacks: real Terraform plans with honest unknowns."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.offline_provider.runner import OfflinePlanError, plan_stack
from generator.offline_provider.session import OfflineSession
from tests.offline_provider.conftest import ROOT_STACKS, write_tree


def _files(tree: Path) -> list[str]:
    return sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*"))


@pytest.fixture(scope="module")
def plans(session: OfflineSession, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every test stack planned once into its own output directory."""
    out = tmp_path_factory.mktemp("plans")
    tree = write_tree(tmp_path_factory.mktemp("plan-tree") / "build")
    before = _files(tree)
    documents: dict[str, Any] = {"_tree": tree, "_out": out, "_before": before}
    for stack in ROOT_STACKS:
        written = plan_stack(tree / stack, out / stack, session=session, build_dir=tree)
        documents[stack] = json.loads(written.read_text())
    return documents


def _change(plan: dict[str, Any], address: str) -> dict[str, Any]:
    for change in plan["resource_changes"]:
        if change["address"] == address:
            result: dict[str, Any] = change["change"]
            return result
    raise AssertionError(f"{address} not in plan")


def test_every_stack_plans_creates_only(plans: dict[str, Any]) -> None:
    """Each root stack plans; every change is a create against empty state."""
    for stack in ROOT_STACKS:
        actions = {
            a for c in plans[stack].get("resource_changes", []) for a in c["change"]["actions"]
        }
        assert actions <= {"create"}
    assert len(plans["dev/orders"]["resource_changes"]) == 8


def test_plan_writes_binary_and_json_plans(plans: dict[str, Any]) -> None:
    """plan.tfplan and plan.json land in the output directory."""
    out: Path = plans["_out"]
    for stack in ROOT_STACKS:
        assert (out / stack / "plan.tfplan").stat().st_size > 0
        assert (out / stack / "plan.json").is_file()


def test_build_tree_is_left_exactly_as_rendered(plans: dict[str, Any]) -> None:
    """No .terraform, lock file, state or backend override appears in the stacks."""
    assert _files(plans["_tree"]) == plans["_before"]


def test_tags_all_merges_default_tags_and_resource_tags(plans: dict[str, Any]) -> None:
    """tags_all = provider default_tags + the resource's tags."""
    after = _change(plans["dev/orders"], "module.queue.aws_sqs_queue.main")["after"]
    assert after["tags"] == {"Component": "intake"}
    assert after["tags_all"] == {
        "Blueprint": "orders",
        "Component": "intake",
        "Environment": "dev",
        "ManagedBy": "trellis",
    }


def test_computed_attributes_are_unknown_and_region_is_the_providers(
    plans: dict[str, Any],
) -> None:
    """id and arn are known after apply; region comes from the provider block."""
    change = _change(plans["prd/orders"], "module.queue.aws_sqs_queue.main")
    assert change["after_unknown"]["arn"] is True
    assert change["after_unknown"]["id"] is True
    assert change["after_unknown"]["url"] is True
    assert change["after"]["region"] == "eu-west-1"
    assert change["after"]["visibility_timeout_seconds"] == 180


def test_data_sources_carry_the_stacks_account_and_region(plans: dict[str, Any]) -> None:
    """Caller identity, region and partition feed known values into the plan."""
    dev = _change(plans["dev/orders"], "module.consumer.aws_lambda_function.this")["after"]
    assert dev["environment"][0]["variables"]["ACCOUNT_ID"] == "111122223333"
    assert dev["environment"][0]["variables"]["REGION"] == "ap-southeast-1"
    policy = _change(plans["prd/orders"], "module.consumer.aws_iam_role_policy.this")["after"]
    document = json.loads(policy["policy"])
    assert document["Statement"][0]["Resource"] == (
        "arn:aws:sqs:eu-west-1:444455556666:orders-prd-intake"
    )


def test_plan_json_is_byte_identical_run_to_run(
    session: OfflineSession, plans: dict[str, Any], tmp_path: Path
) -> None:
    """Planning the same stack again writes the same plan.json bytes."""
    tree: Path = plans["_tree"]
    again = plan_stack(tree / "dev/orders", tmp_path, session=session, build_dir=tree)
    first = (plans["_out"] / "dev/orders" / "plan.json").read_bytes()
    assert again.read_bytes() == first
    assert b'"timestamp"' not in first


def test_plan_failure_raises_with_file_and_line(session: OfflineSession, tmp_path: Path) -> None:
    """A stack that cannot plan raises OfflinePlanError carrying located findings."""
    tree = write_tree(tmp_path / "build")
    variables = tree / "dev/orders/variables.tf"
    variables.write_text(variables.read_text().replace('  default     = "DEBUG"\n', ""))
    (tree / "dev/orders/main.tf").write_text(
        (tree / "dev/orders/main.tf")
        .read_text()
        .replace("LOG_LEVEL  = var.log_level", "LOG_LEVEL  = upper(var.log_level)")
    )
    with pytest.raises(OfflinePlanError) as caught:
        plan_stack(tree / "dev/orders", tmp_path / "out", session=session, build_dir=tree)
    messages = [f.message for f in caught.value.findings]
    assert any(m.startswith("No value for required variable") for m in messages), messages
    assert any(f.file == "dev/orders/variables.tf" and f.line == 1 for f in caught.value.findings)


def test_each_provider_configuration_plans_its_own_resources(plans: dict[str, Any]) -> None:
    """An aliased provider's region and default tags apply to its resources only."""
    regional = _change(plans["dev/edge"], "aws_sns_topic.regional")["after"]
    global_topic = _change(plans["dev/edge"], "aws_sns_topic.global")["after"]
    assert regional["region"] == "ap-southeast-1"
    assert global_topic["region"] == "us-east-1"
    assert global_topic["tags_all"] == {"Environment": "dev", "Scope": "global"}


def test_ignore_tags_leaves_matching_keys_out_of_tags_all(plans: dict[str, Any]) -> None:
    """Keys matched by ignore_tags key_prefixes are not in tags_all."""
    regional = _change(plans["dev/edge"], "aws_sns_topic.regional")["after"]
    assert regional["tags_all"] == {"Environment": "dev", "Team": "edge"}


def test_other_data_sources_get_typed_placeholders(plans: dict[str, Any]) -> None:
    """Data sources without offline semantics answer with documented, typed placeholders."""
    outputs = {k: v["value"] for k, v in plans["dev/edge"]["planned_values"]["outputs"].items()}
    assert outputs["zones"] == []
    assert outputs["zones_id"] == "offline-aws_availability_zones"
    assert outputs["release"] == "arn:aws:ssm:ap-southeast-1:111122223333:offline/aws_ssm_parameter"
