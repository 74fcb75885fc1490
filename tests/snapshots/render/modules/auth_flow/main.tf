# The relying party's HTTP API: one route per handler, each a Lambda proxy integration
# (payload 2.0), throttled at the stage, with JSON access logs to an encrypted log group.
resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  description   = "Singpass login (AuthFlow): login, callback, session, logout and the relying party's JWKS."
  protocol_type = "HTTP"
  tags          = var.tags
}

resource "aws_cloudwatch_log_group" "access" {
  #checkov:skip=CKV_AWS_338:retention is set per environment (environments/<env>.yaml log.retention_days); dev and stg keep less than a year by design, CKV_TRL_4 requires it to be set
  name              = var.access_log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true
  tags        = var.tags

  default_route_settings {
    throttling_burst_limit   = var.throttling_burst_limit
    throttling_rate_limit    = var.throttling_rate_limit
    detailed_metrics_enabled = true
  }

  # No query string, cookie or header values: the callback's query carries the code.
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      requestTime        = "$context.requestTime"
      routeKey           = "$context.routeKey"
      status             = "$context.status"
      responseLatency    = "$context.responseLatency"
      integrationStatus  = "$context.integrationStatus"
      integrationLatency = "$context.integrationLatency"
      integrationError   = "$context.integrationErrorMessage"
      sourceIp           = "$context.identity.sourceIp"
      userAgent          = "$context.identity.userAgent"
    })
  }
}

resource "aws_ssm_parameter" "api_domain" {
  #checkov:skip=CKV2_AWS_34:the parameter holds the login API's domain, which is public; the StaticSite stack reads it at plan time without a KMS grant
  name        = var.api_domain_parameter_name
  description = "Domain of the AuthFlow HTTP API; the StaticSite routes /auth/* to it."
  type        = "String"
  value       = replace(aws_apigatewayv2_api.this.api_endpoint, "https://", "")
  tags        = var.tags
}
