resource "aws_lambda_function" "pass_lambda_key" {
  function_name = "pass-lambda-key"
  role          = "arn:aws:iam::111111111111:role/x"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "bundle.zip"

  environment {
    variables = { TRELLIS_ENV = "dev" }
  }
}

resource "aws_lambda_function" "fail_customer_key" {
  function_name = "fail-customer-key"
  role          = "arn:aws:iam::111111111111:role/x"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "bundle.zip"
  kms_key_arn   = "arn:aws:kms:ap-southeast-1:111111111111:key/00000000-0000-0000-0000-000000000000"

  environment {
    variables = { TRELLIS_ENV = "dev" }
  }
}
