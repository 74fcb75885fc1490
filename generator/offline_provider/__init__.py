"""A schema-only ``hashicorp/aws`` provider, so the embedded Terraform validates and plans
offline.

Terraform providers are plugins speaking the tfplugin6 gRPC protocol. This package serves
the exact AWS provider schema (cut down to the types a tree uses), accepts validation,
plans creates with computed attributes unknown, computes ``aws_iam_policy_document`` and
the account/region/partition data sources, and refuses apply and import. Public face:

* :func:`validate_stack` / :func:`plan_stack`: one root stack at a time;
* :class:`OfflineSession`: one provider and one Terraform for many stacks;
* ``python -m generator.offline_provider``: the plugin Terraform starts (via a launcher).

An offline plan is a create plan against empty state, without provider-side validators
(allowed values, conflicting arguments) and without reading any real AWS account.
"""

from __future__ import annotations

from typing import Final

from generator.offline_provider.runner import OfflinePlanError, plan_stack, validate_stack
from generator.offline_provider.session import OfflineSession

# Bump when planning or data source results change, so cached validations are redone.
SEMANTICS_VERSION: Final = "1"

__all__ = [
    "SEMANTICS_VERSION",
    "OfflinePlanError",
    "OfflineSession",
    "plan_stack",
    "validate_stack",
]
