resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
}

resource "aws_iam_role" "this" {
  name                 = var.name
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  permissions_boundary = var.permissions_boundary
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "this" {
  name   = "${var.name}-least-privilege"
  role   = aws_iam_role.this.id
  policy = var.policy_json
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_117:functions call public AWS endpoints and the source API; no VPC resources to reach
  #checkov:skip=CKV_AWS_116:failed invocations go to an on-failure destination or the source queue's redrive (CKV_TRL_1)
  #checkov:skip=CKV_AWS_272:bundles are built and hashed by trellis in CI; code signing is not used
  #checkov:skip=CKV_AWS_173:settings only, never secrets; Lambda's own key (CKV_TRL_11)
  function_name                  = var.name
  role                           = aws_iam_role.this.arn
  runtime                        = "python3.12"
  handler                        = var.handler
  filename                       = var.bundle_path
  source_code_hash               = filebase64sha256(var.bundle_path)
  memory_size                    = var.memory_mb
  timeout                        = var.timeout_seconds
  reserved_concurrent_executions = var.reserved_concurrency

  environment {
    variables = var.environment
  }

  logging_config {
    log_format            = "JSON"
    application_log_level = var.log_level
    system_log_level      = "WARN"
    log_group             = aws_cloudwatch_log_group.this.name
  }

  tracing_config {
    mode = "Active"
  }

}
