# Deploy roles assumed by GitHub Actions through OIDC. Every trust policy pins the audience
# and the exact subject with StringEquals (no wildcards):
#
#   plan        pull requests of the repository, and pushes to the deploy branch
#   image-push  pushes to the deploy branch (builds images before any environment applies)
#   apply       jobs bound to the GitHub environment named like this environment, so the
#               environment's protection rules (required reviewers) gate every apply

locals {
  github_repo_subject = "repo:${var.github_repository}"

  trust_subjects = {
    plan = [
      "${local.github_repo_subject}:pull_request",
      "${local.github_repo_subject}:ref:refs/heads/${var.github_branch}",
    ]
    image_push = ["${local.github_repo_subject}:ref:refs/heads/${var.github_branch}"]
    apply      = ["${local.github_repo_subject}:environment:${var.environment}"]
  }
}

data "aws_iam_policy_document" "trust" {
  for_each = local.trust_subjects

  statement {
    sid     = "GitHubActionsOidc"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.github_oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_host}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_host}:sub"
      values   = each.value
    }
  }
}

resource "aws_iam_role" "plan" {
  name                 = local.role_names.plan
  description          = "trellis ${var.environment}: terraform plan from pull requests and the ${var.github_branch} branch (read-only)"
  assume_role_policy   = data.aws_iam_policy_document.trust["plan"].json
  max_session_duration = 3600
  permissions_boundary = var.deploy_permissions_boundary_arn
  tags                 = local.tags
}

resource "aws_iam_role" "apply" {
  name                 = local.role_names.apply
  description          = "trellis ${var.environment}: terraform apply of a reviewed plan, from the ${var.environment} GitHub environment"
  assume_role_policy   = data.aws_iam_policy_document.trust["apply"].json
  max_session_duration = 3600
  permissions_boundary = var.deploy_permissions_boundary_arn
  tags                 = local.tags
}

resource "aws_iam_role" "image_push" {
  name                 = local.role_names.image_push
  description          = "trellis ${var.environment}: push images to the environment's ECR repositories from the ${var.github_branch} branch"
  assume_role_policy   = data.aws_iam_policy_document.trust["image_push"].json
  max_session_duration = 3600
  permissions_boundary = var.deploy_permissions_boundary_arn
  tags                 = local.tags
}

# The grants derived from the stacks' resource types: customer managed policies (a role's
# inline policies share one 10,240-character limit), named outside the resource prefix.

locals {
  derived_policies = merge(
    { for key, json in var.plan_policy_documents : "plan-${key}" => { role = "plan", json = json } },
    { for key, json in var.apply_policy_documents : "apply-${key}" => { role = "apply", json = json } },
  )
  role_by_key = { plan = aws_iam_role.plan.name, apply = aws_iam_role.apply.name }
}

resource "aws_iam_policy" "derived" {
  for_each = local.derived_policies

  name        = "trellis-${var.environment}-${each.key}"
  description = "trellis ${var.environment}: ${each.value.role} grants derived from the stacks' resource types (part ${each.key})"
  policy      = each.value.json
  tags        = local.tags
}

resource "aws_iam_role_policy_attachment" "derived" {
  for_each = local.derived_policies

  role       = local.role_by_key[each.value.role]
  policy_arn = aws_iam_policy.derived[each.key].arn
}

resource "aws_iam_role_policy" "deny_data_reads" {
  for_each = {
    plan  = aws_iam_role.plan.name
    apply = aws_iam_role.apply.name
  }

  name   = "deny-data-reads"
  role   = each.value
  policy = data.aws_iam_policy_document.deny_data_reads.json
}

resource "aws_iam_role_policy" "plan_guardrails" {
  name   = "deny-secret-reads"
  role   = aws_iam_role.plan.name
  policy = data.aws_iam_policy_document.plan_guardrails.json
}

resource "aws_iam_role_policy" "state_plan" {
  name   = "terraform-state"
  role   = aws_iam_role.plan.name
  policy = data.aws_iam_policy_document.state_plan.json
}

resource "aws_iam_role_policy" "state_apply" {
  name   = "terraform-state"
  role   = aws_iam_role.apply.name
  policy = data.aws_iam_policy_document.state_apply.json
}

resource "aws_iam_role_policy" "apply_guardrails" {
  name   = "guardrails"
  role   = aws_iam_role.apply.name
  policy = data.aws_iam_policy_document.apply_guardrails.json
}

resource "aws_iam_role_policy" "image_push" {
  name   = "push-images"
  role   = aws_iam_role.image_push.name
  policy = data.aws_iam_policy_document.image_push.json
}
