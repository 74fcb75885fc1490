"""The one IAM policy model: typed statements, their parsing and IAM's matching rules.

Derivation builds :class:`Statement` values and renders them; the IAM lint and the
least-privilege evaluator parse generated JSON with :func:`parse_document`; the review
parses planned policies with :func:`parse_policy_json` and compares grants with
:func:`action_matches` and :func:`arn_matches`. The lint's resource-type check asks
:func:`resource_matches_format` whether a policy resource can name an ARN of a type from
the IAM catalogue. Nothing else in trellis defines what a statement is or how IAM matches.
"""

from generator.iam.model.arn_formats import resource_matches_format
from generator.iam.model.matching import (
    action_matches,
    arn_matches,
    glob_matches,
    has_wildcard,
)
from generator.iam.model.parse import (
    PolicyError,
    parse_document,
    parse_policy_json,
    parse_statement,
)
from generator.iam.model.statement import (
    POLICY_VERSION,
    Condition,
    Effect,
    PolicyDocument,
    Principal,
    Statement,
)

__all__ = [
    "POLICY_VERSION",
    "Condition",
    "Effect",
    "PolicyDocument",
    "PolicyError",
    "Principal",
    "Statement",
    "action_matches",
    "arn_matches",
    "glob_matches",
    "has_wildcard",
    "parse_document",
    "parse_policy_json",
    "parse_statement",
    "resource_matches_format",
]
