output "api_endpoint" {
  description = "The HTTP API's endpoint (the portal routes /auth/* to its domain)."
  value       = module.auth.api_endpoint
}

output "api_domain_parameter" {
  description = "SSM parameter holding the API's domain, read by the StaticSite stack."
  value       = "/trellis/dev/citizen-login/api-domain"
}

output "alarm_topic_arn" {
  description = "SNS topic the auth alarms notify."
  value       = module.auth.alarm_topic_arn
}

output "login_function_name" {
  description = "Name of the login function."
  value       = module.login.function_name
}

output "callback_function_name" {
  description = "Name of the callback function."
  value       = module.callback.function_name
}

output "session_function_name" {
  description = "Name of the session function."
  value       = module.session.function_name
}

output "logout_function_name" {
  description = "Name of the logout function."
  value       = module.logout.function_name
}

output "jwks_function_name" {
  description = "Name of the jwks function."
  value       = module.jwks.function_name
}
