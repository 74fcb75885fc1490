# stg-citizen-login-login: exactly the actions its code and the Lambda service call.
data "aws_iam_policy_document" "login" {
  statement {
    sid       = "Logs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:ap-southeast-1:222222222222:log-group:/aws/lambda/stg-citizen-login-login:*"]
  }

  statement {
    sid       = "Parameters"
    effect    = "Allow"
    actions   = ["ssm:GetParameter"]
    resources = ["arn:aws:ssm:ap-southeast-1:222222222222:parameter/identity/singpass/client-id", "arn:aws:ssm:ap-southeast-1:222222222222:parameter/identity/singpass/rp-signing-jwk", "arn:aws:ssm:ap-southeast-1:222222222222:parameter/identity/singpass/state-keys"]
  }

  statement {
    sid       = "XrayAnyResource"
    effect    = "Allow"
    actions   = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "login_trust" {
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
      values   = ["222222222222"]
    }
  }
}

# stg-citizen-login-callback: exactly the actions its code and the Lambda service call.
data "aws_iam_policy_document" "callback" {
  statement {
    sid       = "Logs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:ap-southeast-1:222222222222:log-group:/aws/lambda/stg-citizen-login-callback:*"]
  }

  statement {
    sid       = "Parameters"
    effect    = "Allow"
    actions   = ["ssm:GetParameter"]
    resources = ["arn:aws:ssm:ap-southeast-1:222222222222:parameter/identity/singpass/client-id", "arn:aws:ssm:ap-southeast-1:222222222222:parameter/identity/singpass/rp-encryption-jwk", "arn:aws:ssm:ap-southeast-1:222222222222:parameter/identity/singpass/rp-signing-jwk", "arn:aws:ssm:ap-southeast-1:222222222222:parameter/identity/singpass/state-keys"]
  }

  statement {
    sid       = "XrayAnyResource"
    effect    = "Allow"
    actions   = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "callback_trust" {
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
      values   = ["222222222222"]
    }
  }
}

# stg-citizen-login-session: exactly the actions its code and the Lambda service call.
data "aws_iam_policy_document" "session" {
  statement {
    sid       = "Logs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:ap-southeast-1:222222222222:log-group:/aws/lambda/stg-citizen-login-session:*"]
  }

  statement {
    sid       = "Parameters"
    effect    = "Allow"
    actions   = ["ssm:GetParameter"]
    resources = ["arn:aws:ssm:ap-southeast-1:222222222222:parameter/identity/singpass/state-keys"]
  }

  statement {
    sid       = "XrayAnyResource"
    effect    = "Allow"
    actions   = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "session_trust" {
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
      values   = ["222222222222"]
    }
  }
}

# stg-citizen-login-logout: exactly the actions its code and the Lambda service call.
data "aws_iam_policy_document" "logout" {
  statement {
    sid       = "Logs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:ap-southeast-1:222222222222:log-group:/aws/lambda/stg-citizen-login-logout:*"]
  }

  statement {
    sid       = "XrayAnyResource"
    effect    = "Allow"
    actions   = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "logout_trust" {
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
      values   = ["222222222222"]
    }
  }
}

# stg-citizen-login-jwks: exactly the actions its code and the Lambda service call.
data "aws_iam_policy_document" "jwks" {
  statement {
    sid       = "Logs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:ap-southeast-1:222222222222:log-group:/aws/lambda/stg-citizen-login-jwks:*"]
  }

  statement {
    sid       = "Parameters"
    effect    = "Allow"
    actions   = ["ssm:GetParameter"]
    resources = ["arn:aws:ssm:ap-southeast-1:222222222222:parameter/identity/singpass/rp-public-jwks"]
  }

  statement {
    sid       = "XrayAnyResource"
    effect    = "Allow"
    actions   = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "jwks_trust" {
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
      values   = ["222222222222"]
    }
  }
}
