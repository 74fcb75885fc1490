variable "log_level" {
  description = "Log level of the orders functions."
  type        = string
  default     = "DEBUG"
}

variable "consumer_timeout_seconds" {
  description = "Timeout of the queue consumer; the queue's visibility timeout is six times it."
  type        = number
  default     = 30
}
