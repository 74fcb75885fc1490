output "url" {
  description = "HTTPS URL of the site."
  value       = module.site.url
}

output "bucket_name" {
  description = "Bucket to upload the built site to."
  value       = module.site.bucket_name
}

output "distribution_id" {
  description = "CloudFront distribution, for cache invalidations after an upload."
  value       = module.site.distribution_id
}
