output "queue_url" {
  description = "Where producers send orders."
  value       = module.queue.queue_url
}

output "consumer_policy" {
  description = "The consumer's least-privilege policy."
  value       = data.aws_iam_policy_document.consumer.json
}
