"""IAM lint: every generated policy against the catalogue, the reviewed list and the rules.

``run(context)`` is the validator ``trellis check`` calls; ``trellis iam lint`` calls it too.
It reads ``build/<env>/<blueprint>/iam/*.json`` for each stack in the context, trellis'
reviewed wildcard list, and the organisation's rules from ``<repo>/policies/iam/``.

What can go wrong: a malformed organisation rules file or wildcard list raises
:class:`~generator.errors.UserError` (exit 2); a malformed review file is a
``TRL_IAM_MALFORMED`` finding (it is generated output, so re-rendering fixes it).
"""

from __future__ import annotations

from generator.check.context import CheckContext
from generator.check.iam.lint import (
    PolicyLocation,
    lint_allowlist,
    lint_policy,
    lint_review_file,
    lint_trust,
)
from generator.check.iam.rules import OrgRule, load_org_rules
from generator.iam.wildcards import load_wildcard_allowlist
from generator.policy.findings import Finding

__all__ = [
    "OrgRule",
    "PolicyLocation",
    "lint_allowlist",
    "lint_policy",
    "lint_review_file",
    "lint_trust",
    "load_org_rules",
    "run",
]


def run(context: CheckContext) -> list[Finding]:
    """Lint every review file of every stack in ``context``; findings sorted."""
    allowlist = load_wildcard_allowlist()
    rules = load_org_rules(context.repo_root / "policies" / "iam", root=context.repo_root)
    findings = lint_allowlist(allowlist) if context.repository_wide else []
    for stack in sorted(context.stacks):
        iam_dir = stack.path / "iam"
        if not iam_dir.is_dir():
            continue
        for path in sorted(iam_dir.glob("*.json")):
            findings.extend(
                lint_review_file(
                    path,
                    build_dir=context.build_dir,
                    stack=stack.key,
                    allowlist=allowlist,
                    rules=rules,
                )
            )
    return sorted(findings)
