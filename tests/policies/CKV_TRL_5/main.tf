resource "aws_lambda_function" "pass_json_info" {
  function_name = "pass-json-info"
  role          = "arn:aws:iam::111111111111:role/x"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "bundle.zip"

  logging_config {
    log_format            = "JSON"
    application_log_level = "INFO"
    system_log_level      = "WARN"
  }
}

resource "aws_lambda_function" "fail_text" {
  function_name = "fail-text"
  role          = "arn:aws:iam::111111111111:role/x"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "bundle.zip"

  logging_config {
    log_format = "Text"
  }
}

resource "aws_lambda_function" "fail_json_without_level" {
  function_name = "fail-json-without-level"
  role          = "arn:aws:iam::111111111111:role/x"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "bundle.zip"

  logging_config {
    log_format = "JSON"
  }
}

resource "aws_lambda_function" "fail_no_logging_config" {
  function_name = "fail-no-logging-config"
  role          = "arn:aws:iam::111111111111:role/x"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "bundle.zip"
}
