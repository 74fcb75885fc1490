resource "aws_lambda_function_event_invoke_config" "pass_one_retry_capped_age" {
  function_name                = "retrieve"
  maximum_retry_attempts       = 1
  maximum_event_age_in_seconds = 600
}

resource "aws_lambda_function_event_invoke_config" "pass_no_retry" {
  function_name                = "retrieve"
  maximum_retry_attempts       = 0
  maximum_event_age_in_seconds = 60
}

resource "aws_lambda_function_event_invoke_config" "fail_default_retries" {
  function_name                = "retrieve"
  maximum_event_age_in_seconds = 600
}

resource "aws_lambda_function_event_invoke_config" "fail_two_retries" {
  function_name                = "retrieve"
  maximum_retry_attempts       = 2
  maximum_event_age_in_seconds = 600
}

resource "aws_lambda_function_event_invoke_config" "fail_default_age" {
  function_name          = "retrieve"
  maximum_retry_attempts = 0
}
