provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["123456789012"]
}

locals {
  name = "ex-s3-complete"
  tags = {
    Example = local.name
  }
}

data "aws_caller_identity" "current" {}

resource "aws_cloudtrail" "main" {
  name           = "${local.name}-trail"
  s3_bucket_name = module.log_bucket.bucket
  tags           = local.tags
}

module "log_bucket" {
  source = "./modules/bucket"

  bucket        = "${local.name}-logs"
  force_destroy = true
  trail_arn     = "arn:aws:cloudtrail:eu-west-1:${data.aws_caller_identity.current.account_id}:trail/${local.name}-trail"
  reader_canonical_user_id = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
  tags          = local.tags
}
