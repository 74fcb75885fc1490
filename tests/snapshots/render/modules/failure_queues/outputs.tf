output "async_failures_arn" {
  description = "ARN of the queue that receives the function's failed asynchronous invocations (its dead_letter_config target)."
  value       = aws_sqs_queue.failures["async_failures"].arn
}

output "schedule_failures_arn" {
  description = "ARN of the queue that receives events the scheduler could not deliver."
  value       = aws_sqs_queue.failures["schedule_failures"].arn
}
