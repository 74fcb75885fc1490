variable "name" {
  description = "Function name, also the log group and role name."
  type        = string
}

variable "handler" {
  description = "Python handler in the bundle, module.function."
  type        = string
}

variable "bundle_path" {
  description = "Path of the deterministic zip built by trellis."
  type        = string
}

variable "memory_mb" {
  description = "Memory in MB."
  type        = number
}

variable "timeout_seconds" {
  description = "Function timeout in seconds."
  type        = number
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions."
  type        = number
}

variable "environment" {
  description = "Environment variables of the function."
  type        = map(string)
}

variable "log_level" {
  description = "Application log level: DEBUG, INFO, WARN or ERROR."
  type        = string
}

variable "log_retention_days" {
  description = "CloudWatch log retention in days."
  type        = number
}

variable "log_kms_key_arn" {
  description = "KMS key that encrypts the log group."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the environment variables."
  type        = string
}


variable "policy_json" {
  description = "The least-privilege policy of the function (rendered under iam/)."
  type        = string
}

variable "permissions_boundary" {
  description = "Permissions boundary of the role, or null."
  type        = string
  default     = null
}
