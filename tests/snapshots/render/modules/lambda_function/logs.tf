resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_338:retention is set per environment (environments/<env>.yaml log.retention_days); dev and stg keep less than a year by design, CKV_TRL_4 requires it to be set
  name              = var.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}
