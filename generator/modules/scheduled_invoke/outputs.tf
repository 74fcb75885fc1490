output "schedule_arn" {
  description = "ARN of the schedule."
  value       = aws_scheduler_schedule.this.arn
}

output "role_arn" {
  description = "ARN of the scheduler's role."
  value       = aws_iam_role.scheduler.arn
}
