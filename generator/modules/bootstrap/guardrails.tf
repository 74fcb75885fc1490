# Explicit denies that hold whatever the derived grants say (trellis derives the plan and
# apply roles' grants from the resource types the environment's stacks contain and passes
# them in as plan_policy_documents / apply_policy_documents; see docs/platform.md).
#
#   apply role  may not change the deploy roles or their policies, remove a permissions
#               boundary, or reconfigure the state bucket (only read and write state)
#   plan role   may not read secrets: SecureString values (decryption through SSM),
#               Secrets Manager values, or image layers of the environment's functions;
#               pull requests assume it

locals {
  deploy_role_arns   = [for name in values(local.role_names) : "arn:${local.partition}:iam::${local.account_id}:role/${name}"]
  deploy_policy_arns = ["arn:${local.partition}:iam::${local.account_id}:policy/trellis-${var.environment}-*"]
}

data "aws_iam_policy_document" "apply_guardrails" {
  statement {
    sid       = "DenyChangesToDeployRolesAndPolicies"
    effect    = "Deny"
    actions   = ["iam:*"]
    resources = concat(local.deploy_role_arns, local.deploy_policy_arns)
  }

  statement {
    sid       = "DenyRemovingPermissionsBoundaries"
    effect    = "Deny"
    actions   = ["iam:DeleteRolePermissionsBoundary"]
    resources = ["*"]
  }

  statement {
    sid    = "DenyReconfiguringStateBucket"
    effect = "Deny"
    not_actions = [
      "s3:DeleteObject",
      "s3:GetObject",
      "s3:ListBucket",
      "s3:PutObject",
    ]
    resources = [aws_s3_bucket.state.arn, local.state_objects]
  }
}

data "aws_iam_policy_document" "plan_guardrails" {
  statement {
    sid       = "DenySecureStringDecryption"
    effect    = "Deny"
    actions   = ["kms:Decrypt"]
    resources = ["*"]

    condition {
      test     = "StringLike"
      variable = "kms:ViaService"
      values   = ["ssm.*.amazonaws.com"]
    }
  }

  statement {
    sid    = "DenySecretValues"
    effect = "Deny"
    actions = [
      "secretsmanager:BatchGetSecretValue",
      "secretsmanager:GetSecretValue",
      "ssm:GetParameterHistory",
    ]
    resources = ["*"]
  }

  statement {
    sid    = "DenyFunctionImageDownloads"
    effect = "Deny"
    actions = [
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = ["*"]
  }
}
