variable "name" {
  type = string
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = "arn:aws:iam::111111111111:role/x"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "bundle.zip"
}

output "name" {
  value = aws_lambda_function.this.function_name
}
