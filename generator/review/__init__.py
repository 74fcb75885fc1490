"""Plan review: ``terraform show -json`` plans → a review a person reads in a minute.

The review is data first (:class:`Review`: stacks, changes, findings), then rendered as
Markdown (for pull-request comments, with a hard size cap) or JSON (the full artifact)::

    from generator.review import review_plans, render_markdown

    review = review_plans(["build/dev/orders/plan.json"], allow_destroy=[], run_checkov=True)
    print(render_markdown(review, max_chars=60_000))
    raise SystemExit(review.exit_code)   # 0 clean, 1 blocking findings

Bad input raises :class:`generator.errors.UserError` (the CLI exits 2).
"""

from generator.review.model import (
    SENSITIVE,
    UNKNOWN,
    Action,
    AttributeChange,
    Change,
    CheckovError,
    CheckovFailure,
    ConditionChange,
    Destruction,
    Hint,
    IamChange,
    PostureChange,
    PrincipalChange,
    ResourceWidening,
    Review,
    StackReview,
)
from generator.review.render_json import render_json, review_to_dict
from generator.review.render_markdown import DEFAULT_MAX_CHARS, render_markdown
from generator.review.reviewer import STATEFUL_TYPES, review_plans, stack_name

__all__ = [
    "DEFAULT_MAX_CHARS",
    "SENSITIVE",
    "STATEFUL_TYPES",
    "UNKNOWN",
    "Action",
    "AttributeChange",
    "Change",
    "CheckovError",
    "CheckovFailure",
    "ConditionChange",
    "Destruction",
    "Hint",
    "IamChange",
    "PostureChange",
    "PrincipalChange",
    "ResourceWidening",
    "Review",
    "StackReview",
    "render_json",
    "render_markdown",
    "review_plans",
    "review_to_dict",
    "stack_name",
]
