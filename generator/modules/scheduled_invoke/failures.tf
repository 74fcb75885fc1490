# The event invoke config caps Lambda's asynchronous retries so that no retry of one run
# can still be running when the next scheduled run starts (CKV_TRL_9, CKV_TRL_13).

resource "aws_lambda_function_event_invoke_config" "this" {
  function_name                = var.function_name
  maximum_retry_attempts       = var.maximum_retry_attempts
  maximum_event_age_in_seconds = var.maximum_event_age_in_seconds
}
