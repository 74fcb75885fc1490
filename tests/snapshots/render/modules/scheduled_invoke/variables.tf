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

variable "schedule_failures_arn" {
  description = "Queue that receives events the scheduler could not deliver (its own, never the records queue's DLQ)."
  type        = string
}

variable "kms_key_arn" {
  description = "Key that encrypts the schedule and the failure queue."
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

variable "maximum_retry_attempts" {
  description = "Asynchronous retries of a failed run (0-2); trellis derives it so that a retry ends before the next scheduled run starts."
  type        = number
}

variable "maximum_event_age_in_seconds" {
  description = "Age after which an undelivered or unretried run is dropped (60-21600): at most the schedule's interval minus the function's timeout, so runs never overlap."
  type        = number
}
