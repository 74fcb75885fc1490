variable "name_prefix" {
  description = "Prefix of the alarm names (<env>-<blueprint>)."
  type        = string
}

variable "topic_name" {
  description = "Name of the encrypted SNS topic the alarms notify."
  type        = string
}

variable "kms_key_arn" {
  description = "Key that encrypts the topic."
  type        = string
}

variable "dead_letter_queue_name" {
  description = "Dead-letter queue whose depth is watched."
  type        = string
}

variable "dead_letter_threshold" {
  description = "Alarm when the dead-letter queue holds at least this many messages."
  type        = number
}

variable "function_names" {
  description = "Functions whose error rate and throttles are watched."
  type        = list(string)
}

variable "error_rate" {
  description = "Alarm when errors / invocations exceeds this fraction."
  type        = number
}

variable "tags" {
  description = "Tags added to the topic and alarms (on top of the provider's default tags)."
  type        = map(string)
  default     = {}
}

variable "telemetry_functions" {
  description = "Function purposes (retrieve, process) whose telemetry metrics are watched; empty: none."
  type        = list(string)
  default     = []
}

variable "telemetry_dimensions" {
  description = "The Blueprint and Environment dimensions of the runtime's telemetry metrics."
  type        = map(string)
  default     = {}
}

variable "memory_utilization_threshold" {
  description = "Alarm when a function's peak memory reaches this percentage of its configured size."
  type        = number
  default     = 90
}

variable "throttling_periods" {
  description = "Alarm when throttling is seen in this many consecutive 5-minute periods."
  type        = number
  default     = 3
}
