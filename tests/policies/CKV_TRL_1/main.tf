# pass: dead-letter queue
resource "aws_lambda_function" "pass_dlq" {
  function_name = "pass-dlq"
  role          = "arn:aws:iam::111111111111:role/x"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "bundle.zip"

  dead_letter_config {
    target_arn = aws_sqs_queue.dlq.arn
  }
}

# pass: on-failure destination
resource "aws_lambda_function" "pass_destination" {
  function_name = "pass-destination"
  role          = "arn:aws:iam::111111111111:role/x"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "bundle.zip"
}

resource "aws_lambda_function_event_invoke_config" "destination" {
  function_name = aws_lambda_function.pass_destination.function_name

  destination_config {
    on_failure {
      destination = aws_sqs_queue.dlq.arn
    }
  }
}

# pass: SQS-driven, the source queue redrives to a dead-letter queue
resource "aws_lambda_function" "pass_sqs_redrive" {
  function_name = "pass-sqs-redrive"
  role          = "arn:aws:iam::111111111111:role/x"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "bundle.zip"
}

resource "aws_sqs_queue" "with_redrive" {
  name = "with-redrive"
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = 5
  })
}

resource "aws_lambda_event_source_mapping" "redrive" {
  event_source_arn = aws_sqs_queue.with_redrive.arn
  function_name    = aws_lambda_function.pass_sqs_redrive.arn
}

# fail: nothing catches failures
resource "aws_lambda_function" "fail_nothing" {
  function_name = "fail-nothing"
  role          = "arn:aws:iam::111111111111:role/x"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "bundle.zip"
}

# fail: event invoke config without an on-failure destination
resource "aws_lambda_function" "fail_config_without_destination" {
  function_name = "fail-config-without-destination"
  role          = "arn:aws:iam::111111111111:role/x"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "bundle.zip"
}

resource "aws_lambda_function_event_invoke_config" "no_destination" {
  function_name          = aws_lambda_function.fail_config_without_destination.function_name
  maximum_retry_attempts = 2
}

# fail: SQS-driven, but the source queue has no redrive policy
resource "aws_lambda_function" "fail_sqs_no_redrive" {
  function_name = "fail-sqs-no-redrive"
  role          = "arn:aws:iam::111111111111:role/x"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "bundle.zip"
}

resource "aws_sqs_queue" "without_redrive" {
  name = "without-redrive"
}

resource "aws_lambda_event_source_mapping" "no_redrive" {
  event_source_arn = aws_sqs_queue.without_redrive.arn
  function_name    = aws_lambda_function.fail_sqs_no_redrive.arn
}

resource "aws_sqs_queue" "dlq" {
  name = "dlq"
}

# one module called twice: checkov 3.3.30 renders module.<b>.name of the second call from
# the first, so the check must tell the instances apart by address
module "first" {
  source = "./fn"
  name   = "first"
}

module "second" {
  source = "./fn"
  name   = "second"
}

# pass: module.second has an on-failure destination
resource "aws_lambda_function_event_invoke_config" "second" {
  function_name = module.second.name

  destination_config {
    on_failure {
      destination = aws_sqs_queue.dlq.arn
    }
  }
}
# fail: module.first has none
