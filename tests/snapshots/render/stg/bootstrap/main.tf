# Bootstrap of stg (account 222222222222): the state bucket every root stack
# of this environment uses, shared ECR repositories, GitHub OIDC and the deploy roles.
# Its own state stays local until migrated into the bucket it creates (see the README).
# Rendered by trellis: edit environments/stg.yaml, not this file.

module "bootstrap" {
  source = "../../modules/bootstrap"

  environment              = "stg"
  github_repository        = "acme/data-platform"
  github_branch            = "main"
  resource_prefix          = "stg-"
  state_bucket_name        = "stg-tfstate-222222222222-ap-southeast-1"
  ecr_repositories         = []
  permissions_boundary_arn = null
  environment_tag_key      = "env"
  log_retention_days       = 90

  tags = {
    blueprint  = "bootstrap"
    env        = "stg"
    managed-by = "trellis"
    team       = "platform"
  }
}
