data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  name   = "orders-prd"
  prefix = "arn:${data.aws_partition.current.partition}"
}

module "queue" {
  source = "../../modules/queue"

  name                       = "${local.name}-intake"
  visibility_timeout_seconds = var.consumer_timeout_seconds * 6
  tags                       = { Component = "intake" }
}

module "table" {
  source = "../../modules/table"

  name = "${local.name}-dedup"
}

module "consumer" {
  source = "../../modules/function"

  name            = "${local.name}-consumer"
  bundle          = "${path.module}/../../bundles/orders.zip"
  handler         = "orders.consumer.handler"
  timeout_seconds = var.consumer_timeout_seconds
  policy_json     = data.aws_iam_policy_document.consumer.json
  environment = {
    LOG_LEVEL  = var.log_level
    TABLE_NAME = module.table.name
    QUEUE_URL  = module.queue.queue_url
    ACCOUNT_ID = data.aws_caller_identity.current.account_id
    REGION     = data.aws_region.current.region
  }
}

resource "aws_lambda_event_source_mapping" "intake" {
  event_source_arn        = module.queue.queue_arn
  function_name           = module.consumer.function_arn
  batch_size              = 10
  function_response_types = ["ReportBatchItemFailures"]
}
