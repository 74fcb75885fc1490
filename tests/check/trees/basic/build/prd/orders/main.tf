locals {
  name = "commerce-orders-prd"
}

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_109:a KMS key policy must let the account administer the key; Resource "*" means this key
  #checkov:skip=CKV_AWS_111:a KMS key policy must let the account administer the key; Resource "*" means this key
  #checkov:skip=CKV_AWS_356:in a KMS key policy Resource "*" means the key itself
  statement {
    sid       = "AccountAdministersKey"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid       = "LogsUseKey"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.ap-southeast-1.amazonaws.com"]
    }
  }
}

resource "aws_kms_key" "this" {
  description         = "Encrypts the orders pipeline's logs, queues, table and backups (prd)."
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.key.json
}

module "queue" {
  source = "../../modules/queue"

  name                       = "${local.name}-records"
  visibility_timeout_seconds = 360
  max_receive_count          = 5
  dead_letter_retention_days = 14
  kms_key_arn                = aws_kms_key.this.arn
}

module "store" {
  source = "../../modules/table"

  name                   = "${local.name}-store"
  hash_key               = "order_id"
  point_in_time_recovery = true
  deletion_protection    = true
  approval               = "required"
  kms_key_arn            = aws_kms_key.this.arn
}

module "backup" {
  source = "../../modules/backup_bucket"

  name                    = "${local.name}-backup"
  noncurrent_version_days = 365
  kms_key_arn             = aws_kms_key.this.arn
}

module "retrieval" {
  source = "../../modules/function"

  name                 = "${local.name}-retrieval"
  handler              = "runtime.ingest.retrieval.handler"
  bundle_path          = "${path.module}/../../bundles/commerce-orders-retrieval.zip"
  memory_mb            = 256
  timeout_seconds      = 300
  reserved_concurrency = 1
  log_level            = "INFO"
  log_retention_days   = 365
  log_kms_key_arn      = aws_kms_key.this.arn
  kms_key_arn          = aws_kms_key.this.arn
  policy_json          = file("${path.module}/iam/retrieval.json")

  environment = {
    QUEUE_URL = module.queue.url
  }
}

module "processing" {
  source = "../../modules/function"

  name                 = "${local.name}-processing"
  handler              = "runtime.ingest.processing.handler"
  bundle_path          = "${path.module}/../../bundles/commerce-orders-processing.zip"
  memory_mb            = 256
  timeout_seconds      = 60
  reserved_concurrency = 5
  log_level            = "INFO"
  log_retention_days   = 365
  log_kms_key_arn      = aws_kms_key.this.arn
  kms_key_arn          = aws_kms_key.this.arn
  policy_json          = file("${path.module}/iam/processing.json")

  environment = {
    TABLE_NAME    = module.store.name
    BACKUP_BUCKET = module.backup.name
  }
}

resource "aws_lambda_function_event_invoke_config" "retrieval" {
  function_name                = module.retrieval.name
  maximum_retry_attempts       = 1
  maximum_event_age_in_seconds = 600

  destination_config {
    on_failure {
      destination = module.queue.dead_letter_arn
    }
  }
}

resource "aws_lambda_event_source_mapping" "processing" {
  event_source_arn        = module.queue.arn
  function_name           = module.processing.name
  batch_size              = 25
  function_response_types = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = 5
  }
}

resource "aws_cloudwatch_event_rule" "schedule" {
  name                = "${local.name}-schedule"
  schedule_expression = "rate(15 minutes)"
}

resource "aws_cloudwatch_event_target" "schedule" {
  rule = aws_cloudwatch_event_rule.schedule.name
  arn  = module.retrieval.arn
}

resource "aws_lambda_permission" "schedule" {
  statement_id  = "AllowEventBridgeSchedule"
  action        = "lambda:InvokeFunction"
  function_name = module.retrieval.name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.schedule.arn
}
