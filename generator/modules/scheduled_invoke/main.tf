resource "aws_scheduler_schedule" "this" {
  name                = var.name
  description         = "Starts a retrieval run of ${var.function_name}."
  schedule_expression = var.schedule_expression
  kms_key_arn         = var.kms_key_arn
  state               = "ENABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = var.function_arn
    role_arn = aws_iam_role.scheduler.arn

    retry_policy {
      maximum_event_age_in_seconds = var.maximum_event_age_in_seconds
      maximum_retry_attempts       = 2
    }

    dead_letter_config {
      arn = var.schedule_failures_arn
    }
  }
}
