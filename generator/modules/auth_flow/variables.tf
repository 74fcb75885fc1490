variable "name" {
  description = "Name of the HTTP API (<env>-<blueprint>)."
  type        = string
}

variable "functions" {
  description = "The five auth functions by role (login, callback, session, logout, jwks): name and ARN (an HTTP API integration takes the function ARN)."
  type = map(object({
    function_name = string
    function_arn  = string
  }))

  validation {
    condition = alltrue([
      contains(keys(var.functions), "login"),
      contains(keys(var.functions), "callback"),
      contains(keys(var.functions), "session"),
      contains(keys(var.functions), "logout"),
      contains(keys(var.functions), "jwks"),
    ])
    error_message = "functions must name login, callback, session, logout and jwks."
  }
}

variable "callback_path" {
  description = "Path of the redirect URI registered with Singpass (the callback route)."
  type        = string
}

variable "throttling_burst_limit" {
  description = "Requests the stage absorbs in a burst before throttling (429)."
  type        = number
}

variable "throttling_rate_limit" {
  description = "Steady-state requests per second the stage accepts."
  type        = number
}

variable "access_log_group_name" {
  description = "Log group of the API's access logs."
  type        = string
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the access logs."
  type        = number
}

variable "kms_key_arn" {
  description = "Key that encrypts the access log group and the alarm topic."
  type        = string
}

variable "api_domain_parameter_name" {
  description = "SSM parameter the API's domain is written to (/trellis/<env>/<auth_flow>/api-domain); the StaticSite routes /auth/* to it."
  type        = string
}

variable "alarm_topic_name" {
  description = "Name of the encrypted SNS topic the alarms notify."
  type        = string
}

variable "error_threshold" {
  description = "Alarm when a function fails (crashes, times out) at least this many times in five minutes."
  type        = number
  default     = 1
}

variable "server_error_threshold" {
  description = "Alarm when the API answers 5xx at least this many times in five minutes."
  type        = number
  default     = 5
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default tags)."
  type        = map(string)
  default     = {}
}
