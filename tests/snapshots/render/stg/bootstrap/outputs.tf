output "state_bucket_name" {
  description = "Bucket of every root stack's state in this environment."
  value       = module.bootstrap.state_bucket_name
}

output "plan_role_arn" {
  description = "Role pull requests assume to plan."
  value       = module.bootstrap.plan_role_arn
}

output "apply_role_arn" {
  description = "Role the approved deploy job assumes to apply."
  value       = module.bootstrap.apply_role_arn
}

output "ecr_repository_urls" {
  description = "Shared image repositories, by blueprint."
  value       = module.bootstrap.ecr_repository_urls
}
