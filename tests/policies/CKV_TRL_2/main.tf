resource "aws_sqs_queue" "source" {
  name = "source"
}

resource "aws_lambda_event_source_mapping" "pass_reports_failures" {
  event_source_arn        = aws_sqs_queue.source.arn
  function_name           = "processing"
  function_response_types = ["ReportBatchItemFailures"]
}

resource "aws_lambda_event_source_mapping" "pass_not_sqs" {
  event_source_arn  = "arn:aws:kinesis:ap-southeast-1:111111111111:stream/orders"
  function_name     = "processing"
  starting_position = "LATEST"
}

resource "aws_lambda_event_source_mapping" "fail_reference" {
  event_source_arn = aws_sqs_queue.source.arn
  function_name    = "processing"
}

resource "aws_lambda_event_source_mapping" "fail_literal_arn" {
  event_source_arn        = "arn:aws:sqs:ap-southeast-1:111111111111:orders"
  function_name           = "processing"
  function_response_types = []
}
