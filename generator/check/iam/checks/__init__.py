"""The built-in IAM checks: one module per check, each registering itself on import."""

from generator.check.iam.checks import (
    not_element,
    passrole_condition,
    resource_type,
    unknown_action,
    wildcard_action,
    wildcard_resource,
)
from generator.check.iam.checks.base import IamCheck

__all__ = [
    "IamCheck",
    "not_element",
    "passrole_condition",
    "resource_type",
    "unknown_action",
    "wildcard_action",
    "wildcard_resource",
]
