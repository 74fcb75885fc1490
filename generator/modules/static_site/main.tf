# A single-page application served from a private S3 bucket through CloudFront.
#
# Concerns are split by file: s3.tf (site and log buckets), kms.tf (the site key),
# cloudfront.tf (origin access control, headers, distribution), waf.tf (optional web ACL).
# Resources that CloudFront requires in us-east-1 (WAF, its log group and key) set
# `region = "us-east-1"` (AWS provider 6.x), so callers pass no provider alias.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  s3_origin_id   = "site"
  auth_origin_id = "auth-api"

  auth_enabled = var.auth_api_domain != null

  # CloudFront's only region for WAF web ACLs of scope CLOUDFRONT and for their logs.
  cloudfront_region = "us-east-1"

  tags = merge(var.tags, { "trellis:component" = "static-site" })
}
