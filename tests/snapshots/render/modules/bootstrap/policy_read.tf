# Reads of data itself (objects, items, messages, log events) are denied to both deploy
# roles: a plan never needs them, and the derived read grants (plan_policy_documents) do not
# include them; the deny keeps it so if a broader policy is ever attached. State access is
# separate: the plan role reads state and writes only lock files; the apply role writes it.

locals {
  state_objects = "${aws_s3_bucket.state.arn}/*"
}

data "aws_iam_policy_document" "deny_data_reads" {
  statement {
    sid    = "DenyObjectReadsOutsideState"
    effect = "Deny"
    actions = [
      "s3:GetObject",
      "s3:GetObjectVersion",
    ]
    not_resources = [local.state_objects]
  }

  statement {
    sid    = "DenyDataPlaneReads"
    effect = "Deny"
    actions = [
      "dynamodb:BatchGetItem",
      "dynamodb:GetItem",
      "dynamodb:GetRecords",
      "dynamodb:Query",
      "dynamodb:Scan",
      "logs:FilterLogEvents",
      "logs:GetLogEvents",
      "logs:StartLiveTail",
      "logs:StartQuery",
      "sqs:ReceiveMessage",
    ]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "state_plan" {
  statement {
    sid       = "ListStateBucket"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.state.arn]
  }

  statement {
    sid       = "ReadState"
    actions   = ["s3:GetObject"]
    resources = [local.state_objects]
  }

  statement {
    sid       = "WriteOnlyLockFiles"
    actions   = ["s3:DeleteObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.state.arn}/*.tflock"]
  }

  statement {
    sid       = "UseStateKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.state.arn]
  }
}

data "aws_iam_policy_document" "state_apply" {
  statement {
    sid       = "ListStateBucket"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.state.arn]
  }

  statement {
    sid       = "ReadWriteStateAndLockFiles"
    actions   = ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]
    resources = [local.state_objects]
  }

  statement {
    sid       = "UseStateKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.state.arn]
  }
}

# Push only, and only to the repositories this environment's bootstrap creates (exact
# names, not the prefix: another environment's prefix may start with this one's). Pushing
# needs the layer upload calls and PutImage, plus BatchGetImage (docker push reads the
# manifest it is about to write) and DescribeImages (the images job refuses to overwrite
# an existing <git-sha>-<env> tag). No GetDownloadUrlForLayer: the role never pulls layers.
data "aws_iam_policy_document" "image_push" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = length(var.ecr_repositories) > 0 ? [1] : []

    content {
      sid = "PushToThisEnvironmentsRepositories"
      actions = [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:CompleteLayerUpload",
        "ecr:DescribeImages",
        "ecr:InitiateLayerUpload",
        "ecr:PutImage",
        "ecr:UploadLayerPart",
      ]
      resources = [
        for name in sort(var.ecr_repositories) :
        "arn:${local.partition}:ecr:${local.region}:${local.account_id}:repository/${local.prefix}${name}"
      ]
    }
  }
}
