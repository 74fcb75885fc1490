"""``ReadDataSource`` offline: computed where the answer is knowable, typed otherwise.

Terraform reads a data source during plan when its configuration is wholly known, and
requires a wholly known result. Four data sources are computed from the configuration
and the provider block:

* ``aws_iam_policy_document``: ``json``, ``minified_json`` and ``id`` exactly as the real
  provider renders them (:mod:`generator.offline_provider.iam_policy_document`);
* ``aws_caller_identity``: ``account_id`` is the one account in the provider's
  ``allowed_account_ids`` (``000000000000`` when there is not exactly one), ``arn`` is
  ``arn:<partition>:sts::<account>:assumed-role/trellis-offline/offline``, ``user_id`` is
  ``OFFLINE:offline``;
* ``aws_region``: the provider's region (``us-east-1`` when unset), with its regional EC2
  endpoint and a description where the region is a well-known one;
* ``aws_partition``: partition, DNS suffix and reverse DNS prefix of that region.

Every other data source gets typed placeholder values for the computed attributes the
configuration leaves null: ``id`` is ``offline-<type>``, ``arn`` is an ARN in the
provider's partition, region and account, an SSM parameter's value is
``offline-placeholder.invalid`` (stacks pass such values on as host names), other
strings are ``""``, numbers ``0``, bools
``false``, collections empty and computed nested blocks absent. Plans that depend on such
values show the placeholders, which is why the documentation calls them out.

What can go wrong: :class:`DataSourceError` when the configuration cannot produce a
result (duplicate ``Sid`` in a policy document); the server returns it as an error
diagnostic.
"""

from __future__ import annotations

from typing import Any, Final

from generator.offline_provider.cty import CtyType, type_kind
from generator.offline_provider.iam_policy_document import PolicyDocumentError, render
from generator.offline_provider.provider_config import ProviderConfig, partition_of
from generator.offline_provider.schema_model import Block, attribute_type

_REGION_NAMES: Final = {
    "af-south-1": "Africa (Cape Town)",
    "ap-east-1": "Asia Pacific (Hong Kong)",
    "ap-northeast-1": "Asia Pacific (Tokyo)",
    "ap-northeast-2": "Asia Pacific (Seoul)",
    "ap-northeast-3": "Asia Pacific (Osaka)",
    "ap-south-1": "Asia Pacific (Mumbai)",
    "ap-southeast-1": "Asia Pacific (Singapore)",
    "ap-southeast-2": "Asia Pacific (Sydney)",
    "ca-central-1": "Canada (Central)",
    "eu-central-1": "Europe (Frankfurt)",
    "eu-north-1": "Europe (Stockholm)",
    "eu-south-1": "Europe (Milan)",
    "eu-west-1": "Europe (Ireland)",
    "eu-west-2": "Europe (London)",
    "eu-west-3": "Europe (Paris)",
    "me-south-1": "Middle East (Bahrain)",
    "sa-east-1": "South America (Sao Paulo)",
    "us-east-1": "US East (N. Virginia)",
    "us-east-2": "US East (Ohio)",
    "us-west-1": "US West (N. California)",
    "us-west-2": "US West (Oregon)",
}
_DNS: Final = {
    "aws": ("amazonaws.com", "com.amazonaws"),
    "aws-cn": ("amazonaws.com.cn", "cn.com.amazonaws"),
    "aws-us-gov": ("amazonaws.com", "com.amazonaws"),
    "aws-iso": ("c2s.ic.gov", "gov.ic.c2s"),
    "aws-iso-b": ("sc2s.sgov.gov", "gov.sgov.sc2s"),
    "aws-eusc": ("amazonaws.eu", "eu.amazonaws"),
}


class DataSourceError(ValueError):
    """The data source's configuration cannot produce a result."""


def read(
    type_name: str, block: Block, config: dict[str, Any], provider: ProviderConfig
) -> dict[str, Any]:
    """The state of data source ``type_name`` for its (wholly known) configuration."""
    state = dict(config)
    if type_name == "aws_iam_policy_document":
        try:
            pretty, minified, ident = render(config)
        except PolicyDocumentError as err:
            raise DataSourceError(f"writing IAM Policy Document: {err}") from err
        state.update(json=pretty, minified_json=minified, id=ident)
        state["version"] = config.get("version") or "2012-10-17"
        state["statement"] = [
            {**s, "effect": s.get("effect") or "Allow"} for s in config.get("statement") or []
        ]
    elif type_name == "aws_caller_identity":
        account = provider.effective_account
        state.update(
            account_id=account,
            id=account,
            arn=f"arn:{provider.partition}:sts::{account}:assumed-role/trellis-offline/offline",
            user_id="OFFLINE:offline",
        )
    elif type_name == "aws_region":
        region = config.get("region") or config.get("name") or provider.effective_region
        state.update(
            region=region,
            name=region,
            id=region,
            endpoint=config.get("endpoint") or f"ec2.{region}.{_DNS[partition_of(region)][0]}",
            description=_REGION_NAMES.get(region, region),
        )
    elif type_name == "aws_partition":
        partition = provider.partition
        suffix, reverse = _DNS[partition]
        state.update(
            partition=partition, id=partition, dns_suffix=suffix, reverse_dns_prefix=reverse
        )
    return _fill_placeholders(type_name, block, state, provider)


def _fill_placeholders(
    type_name: str, block: Block, state: dict[str, Any], provider: ProviderConfig
) -> dict[str, Any]:
    for name, spec in block.get("attributes", {}).items():
        if spec.get("computed") and state.get(name) is None:
            state[name] = _placeholder(type_name, name, attribute_type(spec), provider)
    for name, nested in block.get("block_types", {}).items():
        current = state.get(name)
        inner: Block = nested["block"]
        if isinstance(current, dict) and nested["nesting_mode"] in ("single", "group"):
            state[name] = _fill_placeholders(type_name, inner, current, provider)
        elif isinstance(current, list):
            state[name] = [_fill_placeholders(type_name, inner, e, provider) for e in current]
        elif isinstance(current, dict):
            state[name] = {
                k: _fill_placeholders(type_name, inner, e, provider) for k, e in current.items()
            }
    return state


SSM_PLACEHOLDER: Final = "offline-placeholder.invalid"
"""What an SSM parameter holds offline: a host name under the reserved ``.invalid`` domain
(RFC 2606), so configurations that expect a domain validate and nobody mistakes it for a
real value."""


def _placeholder(type_name: str, name: str, ty: CtyType, provider: ProviderConfig) -> Any:
    kind = type_kind(ty)
    if kind == "string":
        if name == "id":
            return f"offline-{type_name}"
        if name == "arn":
            service = type_name.removeprefix("aws_").split("_", 1)[0]
            return (
                f"arn:{provider.partition}:{service}:{provider.effective_region}:"
                f"{provider.effective_account}:offline/{type_name}"
            )
        if name == "region":
            return provider.effective_region
        if name in ("account_id", "owner_id"):
            return provider.effective_account
        if type_name == "aws_ssm_parameter" and name in ("value", "insecure_value"):
            return SSM_PLACEHOLDER
        return ""
    if kind == "number":
        return 0
    if kind == "bool":
        return False
    if kind in ("list", "set", "tuple"):
        return []
    if kind == "map":
        return {}
    if kind == "object":
        assert isinstance(ty, list)
        return dict.fromkeys(ty[1])
    return None
