output "queue_url" {
  description = "Queue that carries raw records from retrieval (or other producers) to processing."
  value       = module.queue.queue_url
}

output "dead_letter_queue_arn" {
  description = "Where records that failed processing wait for a person."
  value       = module.queue.dead_letter_arn
}

output "table_name" {
  description = "DynamoDB table with the current version of each record."
  value       = module.table.table_name
}

output "backup_bucket" {
  description = "Versioned bucket with every raw payload written."
  value       = module.backup.bucket_name
}

output "alarm_topic_arn" {
  description = "SNS topic the pipeline's alarms notify."
  value       = module.alarms.topic_arn
}

output "retrieve_function_name" {
  description = "Name of the retrieve function."
  value       = module.retrieve.function_name
}

output "process_function_name" {
  description = "Name of the process function."
  value       = module.process.function_name
}
