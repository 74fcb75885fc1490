resource "aws_lambda_function" "capped" {
  function_name = "capped"
  role          = "arn:aws:iam::111111111111:role/x"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "bundle.zip"
}

resource "aws_lambda_function_event_invoke_config" "capped" {
  function_name                = aws_lambda_function.capped.function_name
  maximum_retry_attempts       = 1
  maximum_event_age_in_seconds = 600
}

resource "aws_lambda_function" "uncapped" {
  function_name = "uncapped"
  role          = "arn:aws:iam::111111111111:role/x"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "bundle.zip"
}

resource "aws_scheduler_schedule" "pass_capped_function" {
  name                = "pass-capped-function"
  schedule_expression = "rate(15 minutes)"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.capped.arn
    role_arn = "arn:aws:iam::111111111111:role/scheduler"
  }
}

resource "aws_scheduler_schedule" "fail_lambda_defaults" {
  name                = "fail-lambda-defaults"
  schedule_expression = "rate(15 minutes)"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.uncapped.arn
    role_arn = "arn:aws:iam::111111111111:role/scheduler"
  }
}
