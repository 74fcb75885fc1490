# Per function: error rate (errors / invocations by metric math) and any throttling.
resource "aws_cloudwatch_metric_alarm" "error_rate" {
  for_each = toset(var.function_names)

  alarm_name          = "${each.value}-error-rate"
  alarm_description   = "The share of failed ${each.value} invocations rose above ${var.error_rate}."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.error_rate
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
  tags                = var.tags

  metric_query {
    id          = "rate"
    expression  = "IF(invocations > 0, errors / invocations, 0)"
    label       = "Error rate"
    return_data = true
  }

  metric_query {
    id = "errors"

    metric {
      namespace   = "AWS/Lambda"
      metric_name = "Errors"
      period      = 300
      stat        = "Sum"

      dimensions = {
        FunctionName = each.value
      }
    }
  }

  metric_query {
    id = "invocations"

    metric {
      namespace   = "AWS/Lambda"
      metric_name = "Invocations"
      period      = 300
      stat        = "Sum"

      dimensions = {
        FunctionName = each.value
      }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "throttles" {
  for_each = toset(var.function_names)

  alarm_name          = "${each.value}-throttles"
  alarm_description   = "${each.value} was throttled: raise its concurrency or lower the source's."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  tags                = var.tags

  dimensions = {
    FunctionName = each.value
  }
}
