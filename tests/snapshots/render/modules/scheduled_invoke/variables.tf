variable "name" {
  description = "Name of the schedule."
  type        = string
}

variable "schedule_expression" {
  description = "EventBridge rate() or cron() expression."
  type        = string
}

variable "function_name" {
  description = "Name of the function the schedule starts."
  type        = string
}

variable "function_arn" {
  description = "ARN of the function the schedule starts."
  type        = string
}

variable "dead_letter_arn" {
  description = "Queue that receives events the scheduler could not deliver."
  type        = string
}

variable "kms_key_arn" {
  description = "Key that encrypts the schedule and the dead-letter queue."
  type        = string
}

variable "role_name" {
  description = "Name of the scheduler's role."
  type        = string
}

variable "permissions_boundary" {
  description = "ARN of the permissions boundary, or null."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to the role (schedules take no tags)."
  type        = map(string)
  default     = {}
}
