"""A commented starting point for an organisation's IAM rules file."""

from __future__ import annotations

RULES_SKELETON = """\
# Organisation IAM rules: `trellis iam lint` and `trellis check` apply them to every
# generated policy (build/<env>/<blueprint>/iam/*.json) after the built-in checks.
#
# Each rule picks actions with glob patterns (any case; default: every action) and does
# exactly ONE of:
#   forbid: true                  the actions may not be granted at all
#   require_conditions: [KEY...]  statements granting them must use these condition keys
#   resources_must_match: [...]   they may only be granted on these resources (globs);
#                                 ${account_id} ${region} ${partition} are the environment's
# The id becomes the finding's check id; severity is error (default), warning or note.
apiVersion: trellis/v1
kind: IamRules
rules:
  - id: ORG_IAM_NO_DELETE
    description: Pipelines never delete data; expiry is the bucket's and table's lifecycle.
    actions: ["s3:DeleteObject*", "dynamodb:DeleteItem"]
    forbid: true

  - id: ORG_IAM_KMS_VIA_SERVICE
    description: KMS keys are used only through the service that owns the data.
    actions: ["kms:*"]
    require_conditions: [kms:ViaService]

  - id: ORG_IAM_OWN_ACCOUNT
    description: Grants stay in the environment's own account and partition.
    severity: warning
    resources_must_match:
      - "arn:${partition}:*:${region}:${account_id}:*"
      - "arn:${partition}:s3:::*"
      - "*"
"""
