variable "name" {
  description = "Name of the work queue; the dead-letter queue gets a -dlq suffix."
  type        = string
}

variable "visibility_timeout_seconds" {
  description = "How long a received message stays invisible: six times the consumer's timeout."
  type        = number
  default     = 180
}

variable "max_receive_count" {
  description = "Receives before a message moves to the dead-letter queue."
  type        = number
  default     = 5
}

variable "tags" {
  description = "Tags for both queues, on top of the provider's default tags."
  type        = map(string)
  default     = {}
}
