variable "name" {
  description = "Name of the table."
  type        = string
}

variable "hash_key" {
  description = "Partition key attribute (a string)."
  type        = string
}

variable "point_in_time_recovery" {
  description = "Keep continuous backups for point-in-time recovery."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Refuse DeleteTable; on where applies need approval."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "Customer managed key for server-side encryption."
  type        = string
}

variable "ttl_attribute" {
  description = "Attribute holding the expiry time (epoch seconds)."
  type        = string
  default     = "expires_at"
}

variable "ttl_enabled" {
  description = "Whether items expire at ttl_attribute."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to the table (on top of the provider's default tags)."
  type        = map(string)
  default     = {}
}
