"""Plan semantics of the offline provider: a create plan with honest unknowns.

For ``PlanResourceChange`` Terraform sends the proposed new state: the configuration
merged with the prior state, computed attributes the configuration leaves out being null.
The real provider would fill some of those in and leave the rest "known after apply";
offline nothing is known about the remote objects, so:

* every computed attribute that is null in the proposed state becomes unknown, in the
  resource and in every nested block (so ``id``, ``arn`` and the like are unknown);
* ``tags_all`` is ``default_tags`` of the provider merged with the resource's ``tags``
  (resource tags win; keys matched by ``ignore_tags`` are left out), unknown when either
  side is unknown;
* ``region`` (every 6.x resource has it), when left unset, is the provider's region.

Attributes that are set in the configuration are planned as configured, so Terraform's
own consistency checks pass and the plan shows exactly what the configuration says.

What can go wrong: nothing raises for well-formed values; the planner trusts Terraform to
send values that match the schema.
"""

from __future__ import annotations

from typing import Any

from generator.offline_provider.cty import UNKNOWN, is_known
from generator.offline_provider.provider_config import ProviderConfig
from generator.offline_provider.schema_model import Block


def plan_resource(
    block: Block, proposed: dict[str, Any] | None, provider: ProviderConfig
) -> dict[str, Any] | None:
    """The planned new state for ``proposed`` (``None`` plans a destroy)."""
    if proposed is None:
        return None
    planned = _fill_unknown(block, proposed)
    attributes = block.get("attributes", {})
    if attributes.get("tags_all", {}).get("computed") and proposed.get("tags_all") is None:
        planned["tags_all"] = merged_tags(provider, proposed.get("tags"))
    region = attributes.get("region", {})
    if region.get("computed") and proposed.get("region") is None and provider.region:
        planned["region"] = provider.region
    return planned


def merged_tags(provider: ProviderConfig, tags: Any) -> Any:
    """``default_tags`` + ``tags`` as the provider computes ``tags_all``."""
    if provider.default_tags is UNKNOWN or tags is UNKNOWN:
        return UNKNOWN
    defaults = provider.default_tags if isinstance(provider.default_tags, dict) else {}
    merged: dict[str, Any] = dict(defaults)
    merged.update(tags or {})
    if not is_known(merged):
        return UNKNOWN
    return {k: v for k, v in sorted(merged.items()) if not provider.ignores(k)}


def _fill_unknown(block: Block, value: dict[str, Any]) -> dict[str, Any]:
    planned = dict(value)
    for name, spec in block.get("attributes", {}).items():
        if spec.get("computed") and planned.get(name) is None:
            planned[name] = UNKNOWN
    for name, nested in block.get("block_types", {}).items():
        current = planned.get(name)
        if current is None or current is UNKNOWN:
            continue
        inner: Block = nested["block"]
        mode = nested["nesting_mode"]
        if mode in ("single", "group"):
            planned[name] = _fill_unknown(inner, current)
        elif mode in ("list", "set"):
            planned[name] = [
                e if e is UNKNOWN or e is None else _fill_unknown(inner, e) for e in current
            ]
        elif mode == "map":
            planned[name] = {
                k: e if e is UNKNOWN or e is None else _fill_unknown(inner, e)
                for k, e in current.items()
            }
    return planned
