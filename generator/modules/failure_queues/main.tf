# A scheduled run's own failure paths, each with its own dead-letter queue, apart from the
# records queue's redrive DLQ (whose messages may be redriven into processing; these events
# must never be, CKV_TRL_12):
#
#   async_failures     the Lambda service's record of an asynchronous invocation that failed
#                      every attempt (the retrieval function's dead_letter_config)
#   schedule_failures  events the scheduler could not deliver to the function
#
# Neither queue may be the redrive target of another queue (redrivePermission denyAll).
# A module of its own, called before the function and the schedule, so that neither module
# depends on the other (checkov resolves module variables only without such a cycle).

locals {
  failure_queues = {
    async_failures    = var.async_failures_queue_name
    schedule_failures = var.schedule_failures_queue_name
  }
}

resource "aws_sqs_queue" "failures" {
  for_each = local.failure_queues

  name                              = each.value
  message_retention_seconds         = var.failure_retention_seconds
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = 300
  tags                              = var.tags
}

resource "aws_sqs_queue_redrive_allow_policy" "failures" {
  for_each = aws_sqs_queue.failures

  queue_url            = each.value.id
  redrive_allow_policy = jsonencode({ redrivePermission = "denyAll" })
}

data "aws_iam_policy_document" "failures_tls_only" {
  for_each = aws_sqs_queue.failures

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = [each.value.arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sqs_queue_policy" "failures" {
  for_each = aws_sqs_queue.failures

  queue_url = each.value.id
  policy    = data.aws_iam_policy_document.failures_tls_only[each.key].json
}

resource "aws_cloudwatch_metric_alarm" "failures" {
  for_each = aws_sqs_queue.failures

  alarm_name          = "${each.value.name}-messages"
  alarm_description   = "Messages are waiting in ${each.value.name}: scheduled runs of ${var.function_label} that failed (not records; do not redrive them into processing)."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags

  dimensions = {
    QueueName = each.value.name
  }
}
