variable "name" {
  description = "Name of the site, carrying the environment's prefix (for example \"dev-portal\"). Every resource name but the buckets' starts with it."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3 to 40 characters of lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "bucket_name" {
  description = "Globally unique name of the private bucket holding the site (trellis derives it within S3's limits)."
  type        = string
}

variable "log_bucket_name" {
  description = "Globally unique name of the bucket receiving CloudFront and S3 access logs."
  type        = string
}

variable "domain" {
  description = "Custom domain served by the distribution (an alias). Null serves the site on the CloudFront domain only."
  type        = string
  default     = null
}

variable "certificate_arn" {
  description = "ARN of an ACM certificate in us-east-1 that covers domain. Required when domain is set; ignored otherwise (the default CloudFront certificate is used)."
  type        = string
  default     = null

  validation {
    condition     = var.domain == null || var.certificate_arn != null
    error_message = "certificate_arn is required when domain is set: CloudFront needs an ACM certificate in us-east-1 for a custom domain."
  }

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:us-east-1:[0-9]{12}:certificate/.+$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN in us-east-1 (CloudFront only uses certificates from that region)."
  }
}

variable "spa_fallback" {
  description = "Serve /index.html for client-side routes (paths whose last segment has no extension) of a single-page application, through a CloudFront Function on the default behaviour; other behaviours (the auth API) keep their own status codes."
  type        = bool
  default     = false
}

variable "price_class" {
  description = "CloudFront price class: which edge locations serve the site."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.price_class)
    error_message = "price_class must be one of PriceClass_100, PriceClass_200, PriceClass_All."
  }
}

variable "content_security_policy" {
  description = "Content-Security-Policy header value sent with every response."
  type        = string
  default     = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
}

variable "auth_api_domain" {
  description = "Domain name of the HTTPS API that serves the AuthFlow (for example \"abc123.execute-api.ap-southeast-1.amazonaws.com\"). When set, auth_path_pattern is routed to it uncached with all methods."
  type        = string
  default     = null

  validation {
    condition     = var.auth_api_domain == null || can(regex("^[a-z0-9][a-z0-9.-]+[a-z0-9]$", var.auth_api_domain))
    error_message = "auth_api_domain must be a bare domain name (no scheme, path or port)."
  }
}

variable "auth_api_origin_path" {
  description = "Path prepended to requests sent to the auth API (for example \"/prd\" for a REST API stage). Empty for an HTTP API with a $default stage."
  type        = string
  default     = ""

  validation {
    condition     = var.auth_api_origin_path == "" || can(regex("^/[A-Za-z0-9_/-]*[A-Za-z0-9_-]$", var.auth_api_origin_path))
    error_message = "auth_api_origin_path must be empty or start with / and not end with /."
  }
}

variable "auth_path_pattern" {
  description = "Path pattern routed to the auth API when auth_api_domain is set."
  type        = string
  default     = "/auth/*"
}

variable "waf_enabled" {
  description = "Attach an AWS WAF web ACL (scope CLOUDFRONT, created in us-east-1) with AWS managed rule groups and a per-IP rate limit, logged to CloudWatch Logs."
  type        = bool
  default     = false
}

variable "waf_additional_managed_rule_groups" {
  description = "AWS managed rule groups (vendor AWS) evaluated after the baseline groups (AmazonIpReputationList, AnonymousIpList, CommonRuleSet, KnownBadInputsRuleSet) when waf_enabled is true; at most 90."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.waf_additional_managed_rule_groups) <= 90 && alltrue([for name in var.waf_additional_managed_rule_groups : can(regex("^AWSManagedRules[A-Za-z0-9]+$", name))])
    error_message = "waf_additional_managed_rule_groups must list at most 90 AWS managed rule group names (AWSManagedRules...)."
  }
}

variable "waf_rate_limit" {
  description = "Requests per 5 minutes from one IP address above which the web ACL blocks that address (when waf_enabled is true)."
  type        = number
  default     = 2000

  validation {
    condition     = var.waf_rate_limit >= 10 && var.waf_rate_limit <= 2000000000
    error_message = "waf_rate_limit must be between 10 and 2000000000 (AWS WAF limits)."
  }
}

variable "log_retention_days" {
  description = "Days to keep access logs (S3 and CloudFront) and WAF logs; one of CloudWatch Logs' allowed retention values."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of CloudWatch Logs' allowed values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

variable "noncurrent_version_days" {
  description = "Days to keep superseded object versions in the site bucket (a rollback window for deployments)."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_days >= 1
    error_message = "noncurrent_version_days must be at least 1."
  }
}

variable "force_destroy" {
  description = "Allow destroying the buckets while they still hold objects. Keep false outside throw-away environments."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource that supports them."
  type        = map(string)
  default     = {}
}
