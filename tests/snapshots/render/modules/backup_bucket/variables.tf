variable "name" {
  description = "Globally unique name of the bucket."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer managed key for default SSE-KMS encryption."
  type        = string
}

variable "noncurrent_version_days" {
  description = "Days a superseded object version is kept before it expires."
  type        = number
}

variable "tags" {
  description = "Tags added to the bucket (on top of the provider's default tags)."
  type        = map(string)
  default     = {}
}
