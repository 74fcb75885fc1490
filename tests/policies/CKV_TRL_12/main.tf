# Three records queues, each with its own redrive DLQ. Only pass_records_only takes
# nothing but records; the other two are also a function's or a schedule's DLQ.

resource "aws_sqs_queue" "pass_records_only" {
  name = "pass-records-only"
}

resource "aws_sqs_queue" "records_a" {
  name = "records-a"
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.pass_records_only.arn
    maxReceiveCount     = 5
  })
}

resource "aws_sqs_queue" "fail_shared_with_function" {
  name = "fail-shared-with-function"
}

resource "aws_sqs_queue" "records_b" {
  name = "records-b"
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.fail_shared_with_function.arn
    maxReceiveCount     = 5
  })
}

resource "aws_sqs_queue" "fail_shared_with_schedule" {
  name = "fail-shared-with-schedule"
}

resource "aws_sqs_queue" "records_c" {
  name = "records-c"
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.fail_shared_with_schedule.arn
    maxReceiveCount     = 5
  })
}

# Failure queues of their own: not redrive targets, not reported.
resource "aws_sqs_queue" "async_failures" {
  name = "async-failures"
}

resource "aws_sqs_queue" "schedule_failures" {
  name = "schedule-failures"
}

resource "aws_lambda_function" "own_dlq" {
  function_name = "own-dlq"
  role          = "arn:aws:iam::111111111111:role/x"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "bundle.zip"

  dead_letter_config {
    target_arn = aws_sqs_queue.async_failures.arn
  }
}

resource "aws_lambda_function" "shared_dlq" {
  function_name = "shared-dlq"
  role          = "arn:aws:iam::111111111111:role/x"
  runtime       = "python3.13"
  handler       = "app.handler"
  filename      = "bundle.zip"

  dead_letter_config {
    target_arn = aws_sqs_queue.fail_shared_with_function.arn
  }
}

resource "aws_scheduler_schedule" "own_dlq" {
  name                = "own-dlq"
  schedule_expression = "rate(15 minutes)"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.own_dlq.arn
    role_arn = "arn:aws:iam::111111111111:role/scheduler"

    dead_letter_config {
      arn = aws_sqs_queue.schedule_failures.arn
    }
  }
}

resource "aws_scheduler_schedule" "shared_dlq" {
  name                = "shared-dlq"
  schedule_expression = "rate(15 minutes)"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.own_dlq.arn
    role_arn = "arn:aws:iam::111111111111:role/scheduler"

    dead_letter_config {
      arn = aws_sqs_queue.fail_shared_with_schedule.arn
    }
  }
}
