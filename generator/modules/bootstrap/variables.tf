variable "environment" {
  description = "Environment name (dev, stg, prd, ...). Names the deploy roles, the state bucket and the GitHub environment the apply role trusts."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,28}[a-z0-9]$", var.environment))
    error_message = "environment must match ^[a-z][a-z0-9-]{1,28}[a-z0-9]$ (the environment name pattern of the blueprint spec)."
  }
}

variable "resource_prefix" {
  description = "Prefix carried by the name of every resource the environment's stacks create. The apply role may change only resources whose names start with it. Null means \"<environment>-\"."
  type        = string
  default     = null

  validation {
    condition     = var.resource_prefix == null || can(regex("^[a-z][a-z0-9-]{0,30}-$", coalesce(var.resource_prefix, "x-")))
    error_message = "resource_prefix must be lower-case letters, digits and hyphens, start with a letter and end with a hyphen (so \"dev-\" cannot match \"developer\")."
  }
}

variable "name_scope" {
  description = "What the names of the deploy roles, the state key alias and the log bucket carry after \"trellis-\": the environment, or \"<namespace>-<environment>\" so that two repositories sharing an account never collide. Null means the environment."
  type        = string
  default     = null

  validation {
    condition     = var.name_scope == null || can(regex("^[a-z][a-z0-9-]{1,40}[a-z0-9]$", coalesce(var.name_scope, "xx")))
    error_message = "name_scope must be lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "github_repository" {
  description = "GitHub repository (\"owner/name\") whose workflows may assume the deploy roles."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$", var.github_repository))
    error_message = "github_repository must be \"owner/name\" as GitHub spells it."
  }
}

variable "github_branch" {
  description = "Branch whose pushes deploy (the plan and image-push roles trust refs/heads/<github_branch>)."
  type        = string
  default     = "main"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]+$", var.github_branch)) && !can(regex("\\*", var.github_branch))
    error_message = "github_branch must be a branch name without wildcards."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC identity provider. Set false when another environment in the same account already created it, and pass github_oidc_provider_arn."
  type        = bool
  default     = true
}

variable "github_oidc_provider_arn" {
  description = "ARN of an existing GitHub OIDC identity provider in the account; used when create_github_oidc_provider is false."
  type        = string
  default     = null

  validation {
    condition     = var.github_oidc_provider_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com$", var.github_oidc_provider_arn))
    error_message = "github_oidc_provider_arn must be the ARN of the token.actions.githubusercontent.com OIDC provider."
  }
}

variable "state_bucket_name" {
  description = "Name of the Terraform state bucket. Null means \"trellis-tfstate-<environment>-<account id>\" (deliberately outside resource_prefix, so the apply role cannot reconfigure it)."
  type        = string
  default     = null
}

variable "state_noncurrent_version_days" {
  description = "Days to keep superseded versions of state files (the window in which a bad state write can be rolled back)."
  type        = number
  default     = 90

  validation {
    condition     = var.state_noncurrent_version_days >= 1
    error_message = "state_noncurrent_version_days must be at least 1."
  }
}

variable "ecr_repositories" {
  description = "Image names (blueprints with package: image). Each becomes an ECR repository named \"<resource_prefix><name>\", shared by that environment's stacks."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for name in var.ecr_repositories : can(regex("^[a-z][a-z0-9-]{1,28}[a-z0-9]$", name))])
    error_message = "each ecr_repositories entry must be a blueprint name (^[a-z][a-z0-9-]{1,28}[a-z0-9]$)."
  }
}

variable "ecr_keep_images" {
  description = "Number of most recent images each ECR repository keeps; older images expire."
  type        = number
  default     = 30

  validation {
    condition     = var.ecr_keep_images >= 1
    error_message = "ecr_keep_images must be at least 1."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of the workload permissions boundary: every role the apply role creates must carry it. Null requires none (not recommended outside dev). The deploy roles do not carry it (see deploy_permissions_boundary_arn)."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN."
  }
}

variable "environment_tag_key" {
  description = "Tag key whose value is the environment name on every resource the stacks create (the renderer sets it through the provider's default_tags). The apply role uses it to scope services whose resources have no names (KMS keys, CloudFront distributions)."
  type        = string
  default     = "trellis:environment"
}

variable "ssm_parameter_root" {
  description = "Root of the SSM parameter hierarchy; the environment's parameters live under <root>/<environment>/."
  type        = string
  default     = "/trellis"

  validation {
    condition     = can(regex("^/[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", var.ssm_parameter_root))
    error_message = "ssm_parameter_root must start with / and not end with / (for example /trellis)."
  }
}

variable "log_retention_days" {
  description = "Days to keep the state bucket's server access logs."
  type        = number
  default     = 365

  validation {
    condition     = var.log_retention_days >= 1
    error_message = "log_retention_days must be at least 1."
  }
}

variable "tags" {
  description = "Tags added to every resource that supports them."
  type        = map(string)
  default     = {}
}

variable "deploy_permissions_boundary_arn" {
  description = "ARN of the permissions boundary of the deploy roles themselves (plan, apply, image-push). Null attaches none. It must not be the workload boundary: that would cap what the apply role can create (CloudFront, WAF, KMS, IAM)."
  type        = string
  default     = null

  validation {
    condition     = var.deploy_permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:policy/.+$", var.deploy_permissions_boundary_arn))
    error_message = "deploy_permissions_boundary_arn must be an IAM policy ARN."
  }
}

variable "plan_policy_documents" {
  description = "The plan role's read grants, derived by trellis from the resource types of the environment's stacks: IAM policy JSON documents by part name, each becoming one customer managed policy."
  type        = map(string)
  default     = {}
}

variable "apply_policy_documents" {
  description = "The apply role's grants (read, create with tags, update, delete), derived by trellis from the resource types of the environment's stacks and scoped to resource_prefix and environment_tag_key: IAM policy JSON documents by part name."
  type        = map(string)
  default     = {}
}
