resource "aws_cloudwatch_log_group" "pass_retention_and_key" {
  name              = "/aws/lambda/pass"
  retention_in_days = 365
  kms_key_id        = "arn:aws:kms:ap-southeast-1:111111111111:key/abc"
}

resource "aws_cloudwatch_log_group" "fail_no_retention" {
  name       = "/aws/lambda/no-retention"
  kms_key_id = "arn:aws:kms:ap-southeast-1:111111111111:key/abc"
}

resource "aws_cloudwatch_log_group" "fail_never_expires" {
  name              = "/aws/lambda/never-expires"
  retention_in_days = 0
  kms_key_id        = "arn:aws:kms:ap-southeast-1:111111111111:key/abc"
}

resource "aws_cloudwatch_log_group" "fail_no_key" {
  name              = "/aws/lambda/no-key"
  retention_in_days = 30
}
