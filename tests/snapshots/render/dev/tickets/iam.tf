# dev-tickets-retrieve: exactly the actions its code and the Lambda service call.
data "aws_iam_policy_document" "retrieve" {
  statement {
    sid       = "Checkpoint"
    effect    = "Allow"
    actions   = ["ssm:GetParameter", "ssm:PutParameter"]
    resources = ["arn:aws:ssm:ap-southeast-1:111111111111:parameter/trellis/dev/tickets/checkpoint"]
  }

  statement {
    sid       = "DeadLetterQueue"
    effect    = "Allow"
    actions   = ["sqs:SendMessage"]
    resources = ["arn:aws:sqs:ap-southeast-1:111111111111:dev-tickets-retrieve-failures"]
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
    sid       = "KmsViaSqs"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
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
    resources = ["arn:aws:logs:ap-southeast-1:111111111111:log-group:/aws/lambda/dev-tickets-retrieve:*"]
  }

  statement {
    sid       = "Parameters"
    effect    = "Allow"
    actions   = ["ssm:GetParameter"]
    resources = ["arn:aws:ssm:ap-southeast-1:111111111111:parameter/support/tickets/client-id", "arn:aws:ssm:ap-southeast-1:111111111111:parameter/support/tickets/client-secret"]
  }

  statement {
    sid       = "Queue"
    effect    = "Allow"
    actions   = ["sqs:SendMessage"]
    resources = ["arn:aws:sqs:ap-southeast-1:111111111111:dev-tickets-records"]
  }

  statement {
    sid       = "StopSwitch"
    effect    = "Allow"
    actions   = ["ssm:GetParameter"]
    resources = ["arn:aws:ssm:ap-southeast-1:111111111111:parameter/trellis/dev/tickets/stop"]
  }

  statement {
    sid       = "Table"
    effect    = "Allow"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem"]
    resources = ["arn:aws:dynamodb:ap-southeast-1:111111111111:table/dev-tickets-state"]
  }

  statement {
    sid       = "XrayAnyResource"
    effect    = "Allow"
    actions   = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "retrieve_trust" {
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

# dev-tickets-process: exactly the actions its code and the Lambda service call.
data "aws_iam_policy_document" "process" {
  statement {
    sid       = "BackupObjects"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::dev-tickets-backup-111111111111-ap-southeast-1/raw/*"]
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
    resources = ["arn:aws:logs:ap-southeast-1:111111111111:log-group:/aws/lambda/dev-tickets-process:*"]
  }

  statement {
    sid       = "Queue"
    effect    = "Allow"
    actions   = ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"]
    resources = ["arn:aws:sqs:ap-southeast-1:111111111111:dev-tickets-records"]
  }

  statement {
    sid       = "Table"
    effect    = "Allow"
    actions   = ["dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
    resources = ["arn:aws:dynamodb:ap-southeast-1:111111111111:table/dev-tickets-items"]
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
