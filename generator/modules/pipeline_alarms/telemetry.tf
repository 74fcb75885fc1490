# Per function, from the runtime's telemetry line (EMF, namespace Trellis/Ingest):
# peak memory near the configured size, and downstream throttling that does not stop.
resource "aws_cloudwatch_metric_alarm" "memory_near_limit" {
  for_each = toset(var.telemetry_functions)

  alarm_name          = "${var.name_prefix}-${each.value}-memory"
  alarm_description   = "The ${each.value} function's peak memory reached ${var.memory_utilization_threshold}% of its size: raise memory_mb before it runs out."
  namespace           = "Trellis/Ingest"
  metric_name         = "MemoryUtilization"
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.memory_utilization_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
  tags                = var.tags

  dimensions = merge(var.telemetry_dimensions, { Function = each.value })
}

resource "aws_cloudwatch_metric_alarm" "sustained_throttling" {
  for_each = toset(var.telemetry_functions)

  alarm_name          = "${var.name_prefix}-${each.value}-throttled"
  alarm_description   = "The ${each.value} function was throttled (AWS calls or HTTP 429) in ${var.throttling_periods} consecutive 5-minute periods: lower its concurrency."
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = var.throttling_periods
  datapoints_to_alarm = var.throttling_periods
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
  tags                = var.tags

  metric_query {
    id          = "throttled"
    expression  = "aws + http"
    label       = "Throttled calls and HTTP 429s"
    return_data = true
  }

  metric_query {
    id = "aws"

    metric {
      namespace   = "Trellis/Ingest"
      metric_name = "ThrottledCalls"
      period      = 300
      stat        = "Sum"
      dimensions  = merge(var.telemetry_dimensions, { Function = each.value })
    }
  }

  metric_query {
    id = "http"

    metric {
      namespace   = "Trellis/Ingest"
      metric_name = "Http429"
      period      = 300
      stat        = "Sum"
      dimensions  = merge(var.telemetry_dimensions, { Function = each.value })
    }
  }
}
