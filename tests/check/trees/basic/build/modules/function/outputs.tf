output "arn" {
  description = "ARN of the function."
  value       = aws_lambda_function.this.arn
}

output "name" {
  description = "Name of the function."
  value       = aws_lambda_function.this.function_name
}

output "role_name" {
  description = "Name of the execution role."
  value       = aws_iam_role.this.name
}
