# Example bootstrap root stack (what `trellis render` writes to build/prd/bootstrap/). Its
# state starts local; docs/platform.md shows how it moves into the bucket it creates.

terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

provider "aws" {
  region              = "ap-southeast-1"
  allowed_account_ids = ["333333333333"]

  default_tags {
    tags = {
      "trellis:environment" = "prd"
    }
  }
}

module "bootstrap" {
  source = "../../modules/bootstrap"

  environment              = "prd"
  github_repository        = "acme/data-platform"
  github_branch            = "main"
  ecr_repositories         = ["orders"]
  permissions_boundary_arn = "arn:aws:iam::333333333333:policy/workload-boundary"
}

output "backend_config" {
  description = "Backend settings for this environment's root stacks."
  value       = module.bootstrap.backend_config
}

output "deploy_role_arns" {
  description = "Roles the GitHub workflows assume."
  value = {
    plan       = module.bootstrap.plan_role_arn
    apply      = module.bootstrap.apply_role_arn
    image_push = module.bootstrap.image_push_role_arn
  }
}
