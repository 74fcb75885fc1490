variable "name" {
  description = "Name of the queue; the dead-letter queue adds -dlq"
  type        = string
}

variable "kms_master_key_id" {
  description = "KMS key that encrypts both queues"
  type        = string
}

variable "publisher_arn" {
  description = "ARN of the SNS topic allowed to send to the queue"
  type        = string
}

variable "tags" {
  description = "Tags for every resource"
  type        = map(string)
  default     = {}
}

resource "aws_sqs_queue" "dlq" {
  name                      = "${var.name}-dlq"
  kms_master_key_id         = var.kms_master_key_id
  message_retention_seconds = 1209600
  tags                      = var.tags
}

resource "aws_sqs_queue" "this" {
  name                       = var.name
  kms_master_key_id          = var.kms_master_key_id
  visibility_timeout_seconds = 60
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = 5
  })
  tags = var.tags
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "AllowTopic"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.this.arn]

    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [var.publisher_arn]
    }
  }
}

resource "aws_sqs_queue_policy" "this" {
  queue_url = aws_sqs_queue.this.url
  policy    = data.aws_iam_policy_document.this.json
}

output "queue_arn" {
  description = "ARN of the queue"
  value       = aws_sqs_queue.this.arn
}
