"""The derive stage: each function's IAM role from the capabilities it wires in.

The runtime declares what each handler's code calls (``CAPABILITIES`` next to the code);
the deployment model says which resources the function is wired to. This module joins
the two into :class:`~generator.iam.wiring.FunctionWiring` and lets
:func:`generator.iam.derive.derive_role` turn it into a least-privilege role.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from generator.iam.derive import DerivedRole, derive_role
from generator.iam.wildcards import WildcardAllowList, load_wildcard_allowlist
from generator.kind_registry import plugin
from generator.model.deployment import Deployment


@dataclass(frozen=True)
class StackRoles:
    """The derived roles of one root stack and the HCL references their ARNs need."""

    roles: tuple[tuple[str, DerivedRole], ...]
    references: dict[str, str]


KMS_MODULE = "kms"
"""The module block that creates a root stack's KMS key (``module "kms"`` in every kind's
``main.tf``); a test holds the rendered stacks to it."""


def kms_key_token(deployment: Deployment) -> str:
    """The ARN of the stack's KMS key as it appears in policies before apply."""
    t = deployment.target
    key_id = f"${{module.{KMS_MODULE}.key_id}}"
    return f"arn:{t.partition}:kms:{t.region}:{t.account_id}:key/{key_id}"


@functools.cache
def _allowlist() -> WildcardAllowList:
    return load_wildcard_allowlist()


def capabilities_of(handler: str) -> tuple[Any, ...]:
    """The ``CAPABILITIES`` the runtime module of ``handler`` declares (imported)."""
    module = import_module(handler.rsplit(".", 1)[0])
    return tuple(module.CAPABILITIES)


def derive_stack_roles(deployment: Deployment) -> StackRoles:
    """Every function role of ``deployment``, keyed by the function's purpose.

    Raises :class:`~generator.iam.wiring.WiringError` (an internal error) when the
    runtime's declarations and the model's wiring do not fit together.
    """
    kind = plugin(deployment.kind)
    roles = []
    for function in deployment.resources.functions:
        wiring = kind.wiring(deployment, function)
        if wiring is not None:  # None: the function's runtime has not landed yet
            roles.append((function.purpose, derive_role(wiring, _allowlist())))
    return StackRoles(
        roles=tuple(roles), references={kms_key_token(deployment): f"module.{KMS_MODULE}.key_arn"}
    )
