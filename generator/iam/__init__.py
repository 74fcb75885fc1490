"""Least-privilege IAM derived from what the runtime calls and what a function is wired to.

Public face: build a :class:`FunctionWiring` per function, call :func:`derive_role` with the
reviewed wildcard list (:func:`load_wildcard_allowlist`), then render
:attr:`DerivedRole.statements` into Terraform and write :func:`review_file` for review.
The statements are values of the one policy model, :mod:`generator.iam.model`, which the
IAM lint, the review and the least-privilege evaluator read policies into as well.
"""

from generator.iam.capabilities import CapabilityLike, PlatformCapability, ResourceRole
from generator.iam.derive import DerivedRole, Grant, UnlistedWildcardError, derive_role
from generator.iam.document import dumps, review_file
from generator.iam.trust import TrustPolicy
from generator.iam.wildcards import WildcardAllowList, load_wildcard_allowlist
from generator.iam.wiring import FunctionWiring, WiringError

__all__ = [
    "CapabilityLike",
    "DerivedRole",
    "FunctionWiring",
    "Grant",
    "PlatformCapability",
    "ResourceRole",
    "TrustPolicy",
    "UnlistedWildcardError",
    "WildcardAllowList",
    "WiringError",
    "derive_role",
    "dumps",
    "load_wildcard_allowlist",
    "review_file",
]
