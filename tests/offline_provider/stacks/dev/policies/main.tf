# The examples of the aws_iam_policy_document documentation, plus a policy with several
# statements, conditions and principals; the tests compare the outputs with the layout
# the real provider produces.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.47"
    }
  }
}

provider "aws" {
  region              = "ap-southeast-1"
  allowed_account_ids = ["111122223333"]
}

data "aws_iam_policy_document" "multiple_condition_keys" {
  statement {
    actions = [
      "kms:Decrypt",
      "kms:GenerateDataKey"
    ]

    resources = ["*"]

    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "kms:EncryptionContext:service"
      values   = ["pi"]
    }

    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "kms:EncryptionContext:aws:pi:service"
      values   = ["rds"]
    }
  }
}

data "aws_iam_policy_document" "source" {
  statement {
    actions   = ["ec2:*"]
    resources = ["*"]
  }

  statement {
    sid = "SidToOverride"

    actions   = ["s3:*"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "source_document_example" {
  source_policy_documents = [data.aws_iam_policy_document.source.json]

  statement {
    sid = "SidToOverride"

    actions = ["s3:*"]

    resources = [
      "arn:aws:s3:::somebucket",
      "arn:aws:s3:::somebucket/*",
    ]
  }
}

data "aws_iam_policy_document" "override" {
  statement {
    sid = "SidToOverride"

    actions   = ["s3:*"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "override_policy_document_example" {
  override_policy_documents = [data.aws_iam_policy_document.override.json]

  statement {
    actions   = ["ec2:*"]
    resources = ["*"]
  }

  statement {
    sid = "SidToOverride"

    actions = ["s3:*"]

    resources = [
      "arn:aws:s3:::somebucket",
      "arn:aws:s3:::somebucket/*",
    ]
  }
}

data "aws_iam_policy_document" "queue_access" {
  policy_id = "QueueAccess"

  statement {
    sid    = "ProducersSend"
    effect = "Allow"
    actions = [
      "sqs:SendMessage",
      "sqs:GetQueueUrl",
      "sqs:GetQueueAttributes",
    ]
    resources = ["arn:aws:sqs:ap-southeast-1:111122223333:orders-intake"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/orders-api", "arn:aws:iam::111122223333:role/orders-batch"]
    }

    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:aws:sns:ap-southeast-1:111122223333:orders-*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["111122223333"]
    }
  }

  statement {
    sid           = "DenyInsecureTransport"
    effect        = "Deny"
    actions       = ["sqs:*"]
    resources     = ["arn:aws:sqs:ap-southeast-1:111122223333:orders-intake"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid         = "NoOneElse"
    effect      = "Deny"
    not_actions = ["sqs:ReceiveMessage", "sqs:DeleteMessage"]
    not_resources = ["arn:aws:sqs:ap-southeast-1:111122223333:orders-intake"]

    not_principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }

    condition {
      test     = "StringLike"
      variable = "aws:PrincipalTag/team"
      values   = ["orders", "payments", "<ops & support>"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "aws:userid"
      values   = ["&{aws:username}"]
    }
  }
}

output "multiple_condition_keys" {
  value = data.aws_iam_policy_document.multiple_condition_keys.json
}

output "source_document_example" {
  value = data.aws_iam_policy_document.source_document_example.json
}

output "override_policy_document_example" {
  value = data.aws_iam_policy_document.override_policy_document_example.json
}

output "queue_access" {
  value = data.aws_iam_policy_document.queue_access.json
}

output "queue_access_minified" {
  value = data.aws_iam_policy_document.queue_access.minified_json
}

output "queue_access_id" {
  value = data.aws_iam_policy_document.queue_access.id
}
