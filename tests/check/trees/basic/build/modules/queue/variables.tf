variable "name" {
  description = "Name of the queue; the dead-letter queue adds -dlq."
  type        = string
}

variable "visibility_timeout_seconds" {
  description = "At least six times the timeout of the consuming function."
  type        = number
}

variable "max_receive_count" {
  description = "Receives before a message moves to the dead-letter queue."
  type        = number
}

variable "dead_letter_retention_days" {
  description = "How long the dead-letter queue keeps messages."
  type        = number
}

variable "kms_key_arn" {
  description = "KMS key that encrypts both queues."
  type        = string
}
