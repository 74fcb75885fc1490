"""The parts of the compact provider schema the offline provider works with.

A *block* is the compact layout's ``{"attributes": {...}, "block_types": {...}}``. Every
block implies one cty object type: its attributes with their own types, and each nested
block type as an object (``single``/``group``), a list, a set or a map of objects
(``list``/``set``/``map``). Terraform encodes configuration, plans and state of a
resource against exactly that type, so the planner and the data sources derive it here.

The compact schema carries resources and data sources but not the provider's own
configuration block, so :data:`PROVIDER_BLOCK` spells out the ``provider "aws"``
arguments of the 6.x provider that matter to generated stacks (credentials and profile
settings, region, account guards, default and ignored tags, role assumption, retries).
The ``endpoints`` block is not included: a stack that sets it fails validation offline.

What can go wrong: :class:`KeyError` for a type that is not in the schema (callers check
membership first).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any, Final

from generator.offline_provider.cty import CtyType

Block = dict[str, Any]

_STR: Final = {"type": "string", "optional": True}
_BOOL: Final = {"type": "bool", "optional": True}
_NUM: Final = {"type": "number", "optional": True}
_STR_SET: Final = {"type": ["set", "string"], "optional": True}
_STR_LIST: Final = {"type": ["list", "string"], "optional": True}

PROVIDER_BLOCK: Final[Block] = {
    "attributes": {
        "access_key": _STR,
        "allowed_account_ids": _STR_SET,
        "custom_ca_bundle": _STR,
        "ec2_metadata_service_endpoint": _STR,
        "ec2_metadata_service_endpoint_mode": _STR,
        "forbidden_account_ids": _STR_SET,
        "http_proxy": _STR,
        "https_proxy": _STR,
        "insecure": _BOOL,
        "max_retries": _NUM,
        "no_proxy": _STR,
        "profile": _STR,
        "region": _STR,
        "retry_mode": _STR,
        "s3_us_east_1_regional_endpoint": _STR,
        "s3_use_path_style": _BOOL,
        "secret_key": _STR,
        "shared_config_files": _STR_LIST,
        "shared_credentials_files": _STR_LIST,
        "skip_credentials_validation": _BOOL,
        "skip_metadata_api_check": _STR,
        "skip_region_validation": _BOOL,
        "skip_requesting_account_id": _BOOL,
        "sts_region": _STR,
        "tag_policy_compliance": _STR,
        "token": _STR,
        "token_bucket_rate_limiter_capacity": _NUM,
        "use_dualstack_endpoint": _BOOL,
        "use_fips_endpoint": _BOOL,
    },
    "block_types": {
        "assume_role": {
            "nesting_mode": "list",
            "block": {
                "attributes": {
                    "duration": _STR,
                    "external_id": _STR,
                    "policy": _STR,
                    "policy_arns": _STR_SET,
                    "role_arn": _STR,
                    "session_name": _STR,
                    "source_identity": _STR,
                    "tags": {"type": ["map", "string"], "optional": True},
                    "transitive_tag_keys": _STR_SET,
                }
            },
        },
        "assume_role_with_web_identity": {
            "nesting_mode": "list",
            "max_items": 1,
            "block": {
                "attributes": {
                    "duration": _STR,
                    "policy": _STR,
                    "policy_arns": _STR_SET,
                    "role_arn": _STR,
                    "session_name": _STR,
                    "web_identity_token": _STR,
                    "web_identity_token_file": _STR,
                }
            },
        },
        "default_tags": {
            "nesting_mode": "list",
            "max_items": 1,
            "block": {"attributes": {"tags": {"type": ["map", "string"], "optional": True}}},
        },
        "ignore_tags": {
            "nesting_mode": "list",
            "max_items": 1,
            "block": {"attributes": {"key_prefixes": _STR_SET, "keys": _STR_SET}},
        },
    },
}


def attribute_type(attribute: dict[str, Any]) -> CtyType:
    """The cty type of one attribute, including attributes with a ``nested_type``."""
    nested = attribute.get("nested_type")
    if nested is None:
        ty: CtyType = attribute["type"]
        return ty
    inner: CtyType = [
        "object",
        {name: attribute_type(attr) for name, attr in nested.get("attributes", {}).items()},
    ]
    mode = nested.get("nesting_mode", "single")
    return inner if mode == "single" else [mode, inner]


def block_type(block: Block) -> CtyType:
    """The object type a block's value has on the wire."""
    attrs: dict[str, CtyType] = {
        name: attribute_type(attr) for name, attr in block.get("attributes", {}).items()
    }
    for name, nested in block.get("block_types", {}).items():
        inner = block_type(nested["block"])
        mode = nested["nesting_mode"]
        attrs[name] = inner if mode in ("single", "group") else [mode, inner]
    return ["object", attrs]


def schema_hash(schema: dict[str, Any]) -> str:
    """A stable sha256 over the whole compact schema (the cache key for anything derived)."""
    canonical = json.dumps(schema, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def select(
    schema: dict[str, Any], resources: Iterable[str], data_sources: Iterable[str]
) -> dict[str, Any]:
    """The compact schema cut down to the named types, plus the provider block.

    Names the schema does not know are dropped: Terraform then reports them as unknown
    resource types, exactly as it does with the real provider.
    """
    known_resources = schema["resource_schemas"]
    known_data = schema["data_source_schemas"]
    return {
        "provider_version": schema.get("provider_version", ""),
        "provider": schema.get("provider") or {"version": 0, "block": PROVIDER_BLOCK},
        "resource_schemas": {
            name: known_resources[name]
            for name in sorted(set(resources))
            if name in known_resources
        },
        "data_source_schemas": {
            name: known_data[name] for name in sorted(set(data_sources)) if name in known_data
        },
    }
