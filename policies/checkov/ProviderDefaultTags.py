"""CKV_TRL_8: the AWS provider tags every resource with team, blueprint and env."""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.provider.base_check import BaseProviderCheck

REQUIRED_TAGS = ("team", "blueprint", "env")


class ProviderDefaultTags(BaseProviderCheck):
    """Every ``aws`` provider block sets ``default_tags`` with non-empty team, blueprint, env.

    Why on the provider: Terraform applies ``default_tags`` to every taggable resource the
    provider manages, and that is how trellis tags. checkov 3 evaluates resources without
    merging the provider's ``default_tags`` into them, so a per-resource tag check would
    fail every resource that is in fact tagged; checking the provider (including aliased
    ones) is the check that matches what Terraform applies.
    """

    def __init__(self) -> None:
        super().__init__(
            name="Ensure the AWS provider sets default_tags with team, blueprint and env",
            id="CKV_TRL_8",
            categories=[CheckCategories.CONVENTION],
            supported_provider=["aws"],
            guideline="Add default_tags { tags = { team = ..., blueprint = ..., env = ... } } "
            "to every aws provider block of the root stack.",
        )

    def scan_provider_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        self.evaluated_keys = [f"default_tags/[0]/tags/[0]/{tag}" for tag in REQUIRED_TAGS]
        default_tags = (conf.get("default_tags") or [{}])[0]
        tags_list = default_tags.get("tags") if isinstance(default_tags, dict) else None
        tags = tags_list[0] if isinstance(tags_list, list) and tags_list else tags_list
        if not isinstance(tags, dict):
            return CheckResult.FAILED
        for tag in REQUIRED_TAGS:
            value = tags.get(tag)
            if isinstance(value, list):
                value = value[0] if value else None
            if not isinstance(value, str) or not value.strip():
                return CheckResult.FAILED
        return CheckResult.PASSED


check = ProviderDefaultTags()
