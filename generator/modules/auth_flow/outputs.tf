output "api_id" {
  description = "ID of the HTTP API."
  value       = aws_apigatewayv2_api.this.id
}

output "api_endpoint" {
  description = "The API's https:// endpoint."
  value       = aws_apigatewayv2_api.this.api_endpoint
}

output "api_domain" {
  description = "The API's domain (what the StaticSite's CloudFront routes /auth/* to)."
  value       = aws_ssm_parameter.api_domain.value
}

output "execution_arn" {
  description = "Execution ARN of the API (source of the Lambda permissions)."
  value       = aws_apigatewayv2_api.this.execution_arn
}

output "access_log_group_name" {
  description = "Log group of the access logs."
  value       = aws_cloudwatch_log_group.access.name
}

output "alarm_topic_arn" {
  description = "SNS topic the alarms notify."
  value       = aws_sns_topic.alarms.arn
}
