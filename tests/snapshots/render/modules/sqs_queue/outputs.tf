output "queue_arn" {
  description = "ARN of the queue."
  value       = aws_sqs_queue.this.arn
}

output "queue_url" {
  description = "URL of the queue."
  value       = aws_sqs_queue.this.id
}

output "queue_name" {
  description = "Name of the queue."
  value       = aws_sqs_queue.this.name
}

output "dead_letter_arn" {
  description = "ARN of the dead-letter queue."
  value       = aws_sqs_queue.dead_letter.arn
}

output "dead_letter_name" {
  description = "Name of the dead-letter queue."
  value       = aws_sqs_queue.dead_letter.name
}
