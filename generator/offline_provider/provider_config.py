"""What the offline provider remembers from a ``provider "aws"`` block.

``ConfigureProvider`` hands the provider its configuration; the planner and the data
sources need four things from it: the region, the one account the block allows (from
``allowed_account_ids``), the ``default_tags`` merged into every ``tags_all`` and the
``ignore_tags`` rules. Values Terraform does not know yet stay ``None`` (region, account)
or make ``default_tags`` unknown.

What can go wrong: nothing raises; missing or unknown values fall back to the documented
placeholders of :mod:`generator.offline_provider.data_sources`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.offline_provider.cty import UNKNOWN, is_known

PLACEHOLDER_ACCOUNT = "000000000000"
PLACEHOLDER_REGION = "us-east-1"


@dataclass(frozen=True)
class ProviderConfig:
    """The parts of one configured provider instance that shape plans and data sources."""

    region: str | None = None
    account_id: str | None = None
    default_tags: dict[str, Any] | object = field(default_factory=dict)
    ignore_keys: frozenset[str] = frozenset()
    ignore_prefixes: tuple[str, ...] = ()

    @classmethod
    def from_value(cls, value: dict[str, Any] | None) -> ProviderConfig:
        """Read the decoded provider block (an object value) into a config."""
        if not value:
            return cls()
        region = value.get("region")
        accounts = value.get("allowed_account_ids")
        account = None
        if isinstance(accounts, list) and len(accounts) == 1 and is_known(accounts):
            account = accounts[0]
        default_tags: dict[str, Any] | object = {}
        blocks = value.get("default_tags")
        if blocks is UNKNOWN or (blocks and not is_known(blocks)):
            default_tags = UNKNOWN
        elif blocks:
            tags = blocks[0].get("tags")
            default_tags = dict(tags) if isinstance(tags, dict) else {}
        keys: frozenset[str] = frozenset()
        prefixes: tuple[str, ...] = ()
        ignore = value.get("ignore_tags")
        if isinstance(ignore, list) and ignore and is_known(ignore):
            keys = frozenset(ignore[0].get("keys") or ())
            prefixes = tuple(sorted(ignore[0].get("key_prefixes") or ()))
        return cls(
            region=region if isinstance(region, str) else None,
            account_id=account if isinstance(account, str) else None,
            default_tags=default_tags,
            ignore_keys=keys,
            ignore_prefixes=prefixes,
        )

    @property
    def effective_region(self) -> str:
        """The configured region, or the documented placeholder when none is known."""
        return self.region or PLACEHOLDER_REGION

    @property
    def effective_account(self) -> str:
        """The single allowed account, or the documented placeholder."""
        return self.account_id or PLACEHOLDER_ACCOUNT

    @property
    def partition(self) -> str:
        """``aws``, ``aws-cn`` or ``aws-us-gov`` from the region."""
        return partition_of(self.effective_region)

    def ignores(self, key: str) -> bool:
        """True when ``ignore_tags`` leaves this tag key out of ``tags_all``."""
        return key in self.ignore_keys or any(key.startswith(p) for p in self.ignore_prefixes)


def partition_of(region: str) -> str:
    """The AWS partition a region belongs to."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    if region.startswith("us-iso-"):
        return "aws-iso"
    if region.startswith("us-isob-"):
        return "aws-iso-b"
    if region.startswith("eusc-"):
        return "aws-eusc"
    return "aws"
