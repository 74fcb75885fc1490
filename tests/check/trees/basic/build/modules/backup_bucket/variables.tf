variable "name" {
  description = "Name of the bucket."
  type        = string
}

variable "noncurrent_version_days" {
  description = "Days a superseded object version is kept."
  type        = number
}

variable "kms_key_arn" {
  description = "Customer managed key for default encryption."
  type        = string
}
