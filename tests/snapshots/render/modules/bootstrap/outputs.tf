output "state_bucket_name" {
  description = "Name of the Terraform state bucket: the bucket of every root stack's backend \"s3\" block (with use_lockfile = true)."
  value       = aws_s3_bucket.state.id
}

output "state_bucket_arn" {
  description = "ARN of the Terraform state bucket."
  value       = aws_s3_bucket.state.arn
}

output "state_kms_key_arn" {
  description = "ARN of the KMS key that encrypts state (kms_key_id of the backend block)."
  value       = aws_kms_key.state.arn
}

output "backend_config" {
  description = "Settings for a root stack's backend \"s3\" block, without key (each stack sets its own, for example \"<env>/<blueprint>/terraform.tfstate\")."
  value = {
    bucket       = aws_s3_bucket.state.id
    region       = local.region
    encrypt      = true
    kms_key_id   = aws_kms_key.state.arn
    use_lockfile = true
  }
}

output "github_oidc_provider_arn" {
  description = "ARN of the GitHub Actions OIDC identity provider the deploy roles trust."
  value       = local.github_oidc_provider_arn
}

output "plan_role_arn" {
  description = "ARN of the plan role (read-only, state lock files), assumable from pull requests and the deploy branch."
  value       = aws_iam_role.plan.arn
}

output "apply_role_arn" {
  description = "ARN of the apply role, assumable only by jobs bound to the GitHub environment of this environment."
  value       = aws_iam_role.apply.arn
}

output "image_push_role_arn" {
  description = "ARN of the image push role, assumable from the deploy branch; may push only to the prefixed ECR repositories."
  value       = aws_iam_role.image_push.arn
}

output "ecr_repository_urls" {
  description = "Map of image name (blueprint) to ECR repository URL; images are tagged <git-sha>-<environment>."
  value       = { for name, repo in aws_ecr_repository.image : name => repo.repository_url }
}

output "resource_prefix" {
  description = "The prefix every stack resource name must carry for the apply role to manage it."
  value       = local.prefix
}

output "ssm_parameter_paths" {
  description = "SSM parameter path conventions: the environment's root (the apply role may manage parameters below it) and the per-blueprint path template (replace {blueprint})."
  value = {
    environment = local.ssm_environment_path
    blueprint   = "${local.ssm_environment_path}/{blueprint}"
  }
}
