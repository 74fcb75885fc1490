resource "aws_lambda_function" "sixty" {
  function_name = "sixty"
  role          = "arn:aws:iam::111111111111:role/x"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "bundle.zip"
  timeout       = 60
}

resource "aws_lambda_function" "default_timeout" {
  function_name = "default-timeout"
  role          = "arn:aws:iam::111111111111:role/x"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "bundle.zip"
}

# pass: 360 >= 6 x 60
resource "aws_sqs_queue" "pass_six_times" {
  name                       = "pass-six-times"
  visibility_timeout_seconds = 360
}

resource "aws_lambda_event_source_mapping" "six_times" {
  event_source_arn = aws_sqs_queue.pass_six_times.arn
  function_name    = aws_lambda_function.sixty.function_name
}

# pass: the defaults, 30 >= 6 x 3
resource "aws_sqs_queue" "pass_defaults" {
  name = "pass-defaults"
}

resource "aws_lambda_event_source_mapping" "defaults" {
  event_source_arn = aws_sqs_queue.pass_defaults.arn
  function_name    = aws_lambda_function.default_timeout.arn
}

# fail: 300 < 6 x 60
resource "aws_sqs_queue" "fail_too_short" {
  name                       = "fail-too-short"
  visibility_timeout_seconds = 300
}

resource "aws_lambda_event_source_mapping" "too_short" {
  event_source_arn = aws_sqs_queue.fail_too_short.arn
  function_name    = "sixty"
}

# fail: the default 30 < 6 x 60
resource "aws_sqs_queue" "fail_default_visibility" {
  name = "fail-default-visibility"
}

resource "aws_lambda_event_source_mapping" "default_visibility" {
  event_source_arn = aws_sqs_queue.fail_default_visibility.arn
  function_name    = aws_lambda_function.sixty.arn
}

# not reported: no function consumes this queue
resource "aws_sqs_queue" "unconsumed" {
  name = "unconsumed"
}
