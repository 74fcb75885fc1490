variable "name" {
  description = "Name of the table."
  type        = string
}

variable "hash_key" {
  description = "Partition key attribute (a string)."
  type        = string
}

variable "point_in_time_recovery" {
  description = "Continuous backups for 35 days."
  type        = bool
}

variable "deletion_protection" {
  description = "Refuse DeleteTable; true wherever apply needs approval."
  type        = bool
}

variable "approval" {
  description = "The environment's approval setting (none or required), tagged on the table for the CKV_TRL deletion-protection check."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer managed key for server-side encryption."
  type        = string
}
