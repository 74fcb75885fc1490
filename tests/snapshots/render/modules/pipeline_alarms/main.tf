resource "aws_sns_topic" "alarms" {
  name              = var.topic_name
  kms_master_key_id = var.kms_key_arn
  tags              = var.tags
}

resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  alarm_name          = "${var.name_prefix}-dead-letters"
  alarm_description   = "Messages are waiting in ${var.dead_letter_queue_name}: records that failed processing."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.dead_letter_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
  tags                = var.tags

  dimensions = {
    QueueName = var.dead_letter_queue_name
  }
}
