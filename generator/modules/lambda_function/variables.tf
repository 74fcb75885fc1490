variable "function_name" {
  description = "Name of the function."
  type        = string
}

variable "description" {
  description = "What the function does."
  type        = string
  default     = ""
}

variable "handler" {
  description = "Python handler, module.function: the zip's handler, or the image's command (image_config.command)."
  type        = string
}

variable "package_type" {
  description = "Zip (package_file + handler + runtime) or Image (image_uri, handler as the image's command)."
  type        = string
  default     = "Zip"

  validation {
    condition     = contains(["Zip", "Image"], var.package_type)
    error_message = "package_type must be Zip or Image."
  }
}

variable "image_uri" {
  description = "Image functions: <repository_url>@sha256:<digest>, the pushed image by digest (never a tag)."
  type        = string
  default     = null

  validation {
    condition     = alltrue([for uri in compact([var.image_uri]) : can(regex("@sha256:[0-9a-f]{64}$", uri))])
    error_message = "image_uri must name the image by digest: <repository_url>@sha256:<64 hex digits>."
  }
}

variable "runtime" {
  description = "Lambda runtime identifier."
  type        = string
  default     = "python3.13"
}

variable "architecture" {
  description = "Instruction set: arm64 or x86_64."
  type        = string
  default     = "arm64"
}

variable "package_file" {
  description = "Zip functions: path of the deployment zip."
  type        = string
  default     = null
}

variable "package_base64sha256" {
  description = "Zip functions: base64 SHA-256 of the zip, so a code change updates the function."
  type        = string
  default     = null
}

variable "memory_size" {
  description = "Memory in MB (128-10240)."
  type        = number
}

variable "timeout" {
  description = "Timeout in seconds (1-900)."
  type        = number
}

variable "reserved_concurrent_executions" {
  description = "Concurrency reserved for (and limiting) the function; -1 for none."
  type        = number
  default     = -1
}

variable "environment_variables" {
  description = "Settings the runtime reads at cold start."
  type        = map(string)
}

variable "application_log_level" {
  description = "Lambda JSON log level: TRACE, DEBUG, INFO, WARN, ERROR or FATAL."
  type        = string
}

variable "log_group_name" {
  description = "The function's own log group."
  type        = string
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the logs."
  type        = number
}

variable "kms_key_arn" {
  description = "Key for the log group (the environment variables, which hold no secrets, use Lambda's own key)."
  type        = string
}

variable "role_name" {
  description = "Name of the execution role."
  type        = string
}

variable "assume_role_policy_json" {
  description = "Trust policy of the execution role."
  type        = string
}

variable "policy_json" {
  description = "The least-privilege identity policy derived for this function."
  type        = string
}

variable "permissions_boundary" {
  description = "ARN of the permissions boundary, or null."
  type        = string
  default     = null
}

variable "dead_letter_target_arns" {
  description = "At most one queue that receives asynchronous invocations that failed every attempt; empty for functions driven by an SQS event source mapping (their queue's redrive policy dead-letters)."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default tags)."
  type        = map(string)
  default     = {}
}
