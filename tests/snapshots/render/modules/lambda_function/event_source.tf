resource "aws_lambda_event_source_mapping" "sqs" {
  for_each = var.sqs_event_sources

  event_source_arn                   = each.value.queue_arn
  function_name                      = aws_lambda_function.this.arn
  batch_size                         = each.value.batch_size
  maximum_batching_window_in_seconds = each.value.maximum_batching_window_in_seconds
  function_response_types            = ["ReportBatchItemFailures"]
  tags                               = var.tags

  scaling_config {
    maximum_concurrency = each.value.maximum_concurrency
  }
}
