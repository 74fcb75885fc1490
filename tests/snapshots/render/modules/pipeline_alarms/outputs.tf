output "topic_arn" {
  description = "ARN of the alarm topic; subscribe the team's on-call to it."
  value       = aws_sns_topic.alarms.arn
}
