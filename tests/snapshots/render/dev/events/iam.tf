# dev-events-process: exactly the actions its code and the Lambda service call.
data "aws_iam_policy_document" "process" {
  statement {
    sid       = "BackupObjects"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::dev-events-backup-111111111111-ap-southeast-1/raw/*"]
  }

  statement {
    sid       = "KmsViaDynamodb"
    effect    = "Allow"
    actions   = ["kms:Decrypt"]
    resources = [module.kms.key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["dynamodb.ap-southeast-1.amazonaws.com"]
    }
  }

  statement {
    sid       = "KmsViaS3"
    effect    = "Allow"
    actions   = ["kms:GenerateDataKey"]
    resources = [module.kms.key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.ap-southeast-1.amazonaws.com"]
    }
  }

  statement {
    sid       = "KmsViaSqs"
    effect    = "Allow"
    actions   = ["kms:Decrypt"]
    resources = [module.kms.key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["sqs.ap-southeast-1.amazonaws.com"]
    }
  }

  statement {
    sid       = "Logs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:ap-southeast-1:111111111111:log-group:/aws/lambda/dev-events-process:*"]
  }

  statement {
    sid       = "Queue"
    effect    = "Allow"
    actions   = ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"]
    resources = ["arn:aws:sqs:ap-southeast-1:111111111111:dev-events-records"]
  }

  statement {
    sid       = "Table"
    effect    = "Allow"
    actions   = ["dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
    resources = ["arn:aws:dynamodb:ap-southeast-1:111111111111:table/dev-events-items"]
  }

  statement {
    sid       = "XrayAnyResource"
    effect    = "Allow"
    actions   = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "process_trust" {
  statement {
    sid     = "AssumeFromLambdaInOwnAccount"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["111111111111"]
    }
  }
}
