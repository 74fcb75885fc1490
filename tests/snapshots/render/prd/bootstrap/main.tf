# Bootstrap of prd (account 333333333333): the state bucket every root stack
# of this environment uses, shared ECR repositories, GitHub OIDC and the deploy roles.
# Its own state stays local until migrated into the bucket it creates (docs/platform.md).
# Rendered by trellis: edit environments/prd.yaml, not this file.

module "bootstrap" {
  source = "../../modules/bootstrap"

  environment                     = "prd"
  github_repository               = "acme/data-platform"
  github_branch                   = "main"
  resource_prefix                 = "prd-"
  state_bucket_name               = "trellis-tfstate-prd-333333333333-ap-southeast-1"
  ecr_repositories                = ["orders"]
  permissions_boundary_arn        = "arn:aws:iam::333333333333:policy/workload-boundary"
  deploy_permissions_boundary_arn = null
  environment_tag_key             = "env"
  log_retention_days              = 365

  plan_policy_documents = {
    "no_resource" = data.aws_iam_policy_document.plan_no_resource.json
    "1"           = data.aws_iam_policy_document.plan_1.json
  }

  apply_policy_documents = {
    "no_resource" = data.aws_iam_policy_document.apply_no_resource.json
    "1"           = data.aws_iam_policy_document.apply_1.json
    "2"           = data.aws_iam_policy_document.apply_2.json
  }

  tags = {
    blueprint  = "bootstrap"
    env        = "prd"
    managed-by = "trellis"
    team       = "platform"
  }
}
