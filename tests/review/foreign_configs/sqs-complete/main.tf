provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["123456789012"]
}

locals {
  name = "ex-sqs-complete"
  tags = {
    Example = local.name
  }
}

module "orders" {
  source = "./modules/queue"

  name              = local.name
  kms_master_key_id = aws_kms_key.this.id
  publisher_arn     = aws_sns_topic.events.arn
  tags              = local.tags
}

resource "aws_kms_key" "this" {
  description             = "Encrypts ${local.name}"
  deletion_window_in_days = 30
  enable_key_rotation     = true
  tags                    = local.tags
}

resource "aws_sns_topic" "events" {
  name = "${local.name}-events"
  tags = local.tags
}

resource "aws_sns_topic_subscription" "orders" {
  topic_arn = aws_sns_topic.events.arn
  protocol  = "sqs"
  endpoint  = module.orders.queue_arn
}
