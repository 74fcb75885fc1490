locals {
  # Route key -> the function that serves it. The JWKS is also under /auth/, the path the
  # portal's CloudFront routes here, so Singpass can fetch it from the portal's domain.
  routes = {
    "GET /auth/login"            = "login"
    "GET ${var.callback_path}"   = "callback"
    "GET /auth/me"               = "session"
    "GET /auth/logout"           = "logout"
    "POST /auth/logout"          = "logout"
    "GET /.well-known/jwks.json" = "jwks"
    "GET /auth/jwks.json"        = "jwks"
  }
}

resource "aws_apigatewayv2_integration" "function" {
  for_each = var.functions

  api_id                 = aws_apigatewayv2_api.this.id
  description            = "Lambda proxy to ${each.value.function_name}."
  integration_type       = "AWS_PROXY"
  integration_uri        = each.value.function_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = 10000
}

# The routes are public by design (a browser signs in through them); each handler checks
# its own input and fails closed.
resource "aws_apigatewayv2_route" "this" {
  #checkov:skip=CKV_AWS_309:sign-in routes are public by design (the browser reaches them before it holds any credential); each handler checks its own input and fails closed
  for_each = local.routes

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = each.key
  authorization_type = "NONE"
  target             = "integrations/${aws_apigatewayv2_integration.function[each.value].id}"
}

# API Gateway may invoke each function only through this API's $default stage.
resource "aws_lambda_permission" "api" {
  for_each = var.functions

  statement_id  = "AllowHttpApiInvoke"
  action        = "lambda:InvokeFunction"
  function_name = each.value.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/$default/*"
}
