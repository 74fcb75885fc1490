# Per-environment bootstrap: what must exist before any root stack can be planned.
#
#   state.tf        state bucket (S3 backend with use_lockfile) and its access-log bucket
#   ecr.tf          shared ECR repositories for package: image blueprints
#   oidc.tf         the GitHub Actions OIDC identity provider
#   roles.tf        deploy roles (plan, apply, image-push), their trust policies, and the
#                   grants trellis derives from the stacks' resource types
#   policy_read.tf  data-plane reads denied to both roles; state access
#   guardrails.tf   explicit denies: deploy roles, boundaries, state bucket, secrets
#
# This stack is applied by an administrator, with local state first; docs/platform.md
# says how its state then moves into the bucket it creates.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  prefix            = coalesce(var.resource_prefix, "${var.environment}-")
  scope             = coalesce(var.name_scope, var.environment)
  state_bucket_name = coalesce(var.state_bucket_name, "trellis-tfstate-${var.environment}-${local.account_id}")
  log_bucket_name   = "trellis-logs-${local.scope}-${local.account_id}"

  github_oidc_host = "token.actions.githubusercontent.com"
  github_oidc_provider_arn = (
    var.create_github_oidc_provider
    ? aws_iam_openid_connect_provider.github[0].arn
    : var.github_oidc_provider_arn
  )

  role_names = {
    plan       = "trellis-${local.scope}-plan"
    apply      = "trellis-${local.scope}-apply"
    image_push = "trellis-${local.scope}-image-push"
  }

  ssm_environment_path = "${var.ssm_parameter_root}/${var.environment}"

  tags = merge(var.tags, {
    "trellis:component"       = "bootstrap"
    (var.environment_tag_key) = var.environment
  })
}
