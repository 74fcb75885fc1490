variable "name" {
  description = "Table name."
  type        = string
}

variable "hash_key" {
  description = "Partition key attribute (a string)."
  type        = string
  default     = "pk"
}

variable "point_in_time_recovery" {
  description = "Keep continuous backups for 35 days."
  type        = bool
  default     = true
}
