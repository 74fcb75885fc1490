data "aws_iam_policy_document" "consumer" {
  statement {
    sid = "ConsumeIntake"
    actions = [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
    ]
    resources = ["${local.prefix}:sqs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:${local.name}-intake"]
  }

  statement {
    sid       = "DedupStore"
    actions   = ["dynamodb:BatchGetItem", "dynamodb:PutItem"]
    resources = ["${local.prefix}:dynamodb:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:table/${local.name}-dedup"]
  }

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.prefix}:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:log-group:/aws/lambda/${local.name}-consumer:*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}
