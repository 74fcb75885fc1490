variable "async_failures_queue_name" {
  description = "Name of the queue the Lambda service sends an asynchronous invocation to after every attempt failed (the function's dead_letter_config target)."
  type        = string
}

variable "schedule_failures_queue_name" {
  description = "Name of the queue that receives events the scheduler could not deliver."
  type        = string
}

variable "function_label" {
  description = "The scheduled function, as the alarms' descriptions name it."
  type        = string
}

variable "failure_retention_seconds" {
  description = "How long the failure queues keep a message."
  type        = number
  default     = 1209600
}

variable "kms_key_arn" {
  description = "Key that encrypts the failure queues (the pipeline's key)."
  type        = string
}

variable "alarm_topic_arn" {
  description = "SNS topic the failure queues' alarms notify."
  type        = string
}

variable "tags" {
  description = "Tags added to the queues and alarms."
  type        = map(string)
  default     = {}
}
