"""Plan semantics without Terraform: unknown computed values, tags_all, region."""

from __future__ import annotations

from typing import Any

from generator.offline_provider.cty import UNKNOWN
from generator.offline_provider.planning import merged_tags, plan_resource
from generator.offline_provider.provider_config import ProviderConfig

BLOCK: dict[str, Any] = {
    "attributes": {
        "arn": {"type": "string", "computed": True},
        "name": {"type": "string", "optional": True, "computed": True},
        "region": {"type": "string", "optional": True, "computed": True},
        "tags": {"type": ["map", "string"], "optional": True},
        "tags_all": {"type": ["map", "string"], "optional": True, "computed": True},
        "delay": {"type": "number", "optional": True},
    },
    "block_types": {
        "rule": {
            "nesting_mode": "list",
            "block": {
                "attributes": {
                    "id": {"type": "string", "computed": True},
                    "days": {"type": "number", "required": True},
                }
            },
        }
    },
}
PROVIDER = ProviderConfig.from_value(
    {
        "region": "eu-west-1",
        "allowed_account_ids": ["123456789012"],
        "default_tags": [{"tags": {"Team": "core", "Env": "dev"}}],
        "ignore_tags": [{"keys": ["Owner"], "key_prefixes": None}],
    }
)


def test_computed_nulls_become_unknown_and_configured_values_stay() -> None:
    """Computed attributes left null are unknown; configured ones are kept, nested too."""
    planned = plan_resource(
        BLOCK,
        {"name": "q", "delay": None, "tags": None, "rule": [{"days": 3, "id": None}]},
        PROVIDER,
    )
    assert planned is not None
    assert planned["arn"] is UNKNOWN
    assert planned["name"] == "q"
    assert planned["delay"] is None
    assert planned["rule"] == [{"days": 3, "id": UNKNOWN}]
    assert planned["region"] == "eu-west-1"


def test_tags_all_is_default_tags_plus_tags_minus_ignored() -> None:
    """Resource tags override default tags; ignored keys are dropped."""
    assert merged_tags(PROVIDER, {"Env": "prd", "Owner": "x"}) == {"Env": "prd", "Team": "core"}


def test_unknown_tags_make_tags_all_unknown() -> None:
    """When tags are not known yet, neither is tags_all."""
    assert merged_tags(PROVIDER, UNKNOWN) is UNKNOWN
    assert merged_tags(PROVIDER, {"Name": UNKNOWN}) is UNKNOWN


def test_destroy_plans_null() -> None:
    """A null proposed state (destroy) plans null."""
    assert plan_resource(BLOCK, None, PROVIDER) is None


def test_provider_config_reads_the_single_allowed_account() -> None:
    """One allowed account is the account; several leave the placeholder."""
    assert PROVIDER.effective_account == "123456789012"
    several = ProviderConfig.from_value({"allowed_account_ids": ["1", "2"]})
    assert several.effective_account == "000000000000"
    assert ProviderConfig.from_value({"region": "cn-north-1"}).partition == "aws-cn"
