variable "name" {
  description = "Name of the queue."
  type        = string
}

variable "dead_letter_name" {
  description = "Name of the dead-letter queue behind it."
  type        = string
}

variable "visibility_timeout_seconds" {
  description = "Visibility timeout; at least six times the consuming function's timeout."
  type        = number
}

variable "message_retention_seconds" {
  description = "How long an unprocessed message stays on the queue."
  type        = number
  default     = 345600
}

variable "dead_letter_retention_seconds" {
  description = "How long a message stays on the dead-letter queue (at most 14 days)."
  type        = number
  default     = 1209600
}

variable "max_receive_count" {
  description = "Receives before a message moves to the dead-letter queue."
  type        = number
}

variable "kms_key_arn" {
  description = "Customer managed key that encrypts both queues."
  type        = string
}

variable "tags" {
  description = "Tags added to both queues (on top of the provider's default tags)."
  type        = map(string)
  default     = {}
}
