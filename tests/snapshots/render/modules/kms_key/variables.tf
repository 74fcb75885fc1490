variable "alias" {
  description = "Alias of the key, starting with alias/."
  type        = string
}

variable "description" {
  description = "What the key encrypts."
  type        = string
}

variable "deletion_window_in_days" {
  description = "Waiting period before a scheduled deletion takes effect."
  type        = number
  default     = 30
}

variable "service_principals" {
  description = "AWS service principals (besides CloudWatch Logs) that encrypt with the key for this account, e.g. sqs.amazonaws.com."
  type        = list(string)

  validation {
    condition     = can(var.service_principals[0])
    error_message = "Name at least one service principal that uses the key."
  }
}

variable "tags" {
  description = "Tags added to the key (on top of the provider's default tags)."
  type        = map(string)
  default     = {}
}
