output "queue_url" {
  description = "URL of the records queue."
  value       = module.queue.url
}

output "table_name" {
  description = "Name of the dedup store."
  value       = module.store.name
}

output "backup_bucket" {
  description = "Name of the backup bucket."
  value       = module.backup.name
}
