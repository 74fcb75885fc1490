variable "name" {
  description = "Function name; also names its role and log group."
  type        = string
}

variable "bundle" {
  description = "Path of the deployment zip."
  type        = string
}

variable "handler" {
  description = "Handler in module.function form."
  type        = string
}

variable "timeout_seconds" {
  description = "Function timeout."
  type        = number
  default     = 30
}

variable "environment" {
  description = "Environment variables of the function."
  type        = map(string)
  default     = {}
}

variable "policy_json" {
  description = "The function's least-privilege policy (JSON)."
  type        = string
}

variable "log_retention_days" {
  description = "How long the function's logs are kept."
  type        = number
  default     = 30
}
