output "bucket_name" {
  description = "Name of the private site bucket; deployments upload the built site here."
  value       = aws_s3_bucket.site.id
}

output "bucket_arn" {
  description = "ARN of the private site bucket."
  value       = aws_s3_bucket.site.arn
}

output "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the site bucket; uploaders need kms:GenerateDataKey on it."
  value       = aws_kms_key.site.arn
}

output "log_bucket_name" {
  description = "Name of the bucket that receives S3 server access logs (prefix s3/) and CloudFront standard logs (prefix cloudfront/)."
  value       = aws_s3_bucket.logs.id
}

output "distribution_id" {
  description = "CloudFront distribution id; deployments invalidate it after an upload."
  value       = aws_cloudfront_distribution.site.id
}

output "distribution_arn" {
  description = "CloudFront distribution ARN."
  value       = aws_cloudfront_distribution.site.arn
}

output "distribution_domain_name" {
  description = "The distribution's *.cloudfront.net domain name (the target of the custom domain's DNS alias)."
  value       = aws_cloudfront_distribution.site.domain_name
}

output "distribution_hosted_zone_id" {
  description = "Route 53 hosted zone id of CloudFront, for an alias record to the distribution."
  value       = aws_cloudfront_distribution.site.hosted_zone_id
}

output "url" {
  description = "HTTPS URL of the site: the custom domain when set, else the CloudFront domain."
  value       = "https://${coalesce(var.domain, aws_cloudfront_distribution.site.domain_name)}"
}

output "web_acl_arn" {
  description = "ARN of the WAF web ACL attached to the distribution; null when waf_enabled is false."
  value       = var.waf_enabled ? aws_wafv2_web_acl.site[0].arn : null
}
