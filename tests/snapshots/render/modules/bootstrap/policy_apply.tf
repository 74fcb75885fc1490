# What the apply role may change. Resources whose ARNs carry a name are limited to names
# starting with the environment's prefix. KMS keys and CloudFront distributions have no
# names in their ARNs, so they are limited by the environment tag instead (required when
# created, matched when changed). API Gateway, CloudFront origin access controls and
# response headers policies allow neither; those statements are limited to the account
# and region and say so in their sid.
#
# Roles the stacks create must carry the permissions boundary (when one is configured), and
# no role can have it removed. The deploy roles themselves and the state bucket are
# outside the prefix and are additionally protected by explicit denies.

locals {
  regions = distinct([local.region, "us-east-1"])
  arn     = "arn:${local.partition}"
  acct    = local.account_id
  p       = local.prefix

  regional = { for service in ["dynamodb", "events", "lambda", "logs", "scheduler", "sns", "sqs", "ssm", "wafv2", "kms", "cloudwatch", "ecr", "apigateway"] :
    service => [for r in local.regions : "${local.arn}:${service}:${r}:${local.acct}"]
  }

  boundary_condition = var.permissions_boundary_arn == null ? [] : [var.permissions_boundary_arn]
  deploy_role_arns   = [for name in values(local.role_names) : "${local.arn}:iam::${local.acct}:role/${name}"]
}

data "aws_iam_policy_document" "apply" {
  statement {
    sid     = "S3PrefixedBuckets"
    actions = ["s3:*"]
    resources = [
      "${local.arn}:s3:::${local.p}*",
      "${local.arn}:s3:::${local.p}*/*",
    ]
  }

  statement {
    sid       = "DynamoDbPrefixedTables"
    actions   = ["dynamodb:*"]
    resources = [for base in local.regional.dynamodb : "${base}:table/${local.p}*"]
  }

  statement {
    sid       = "SqsPrefixedQueues"
    actions   = ["sqs:*"]
    resources = [for base in local.regional.sqs : "${base}:${local.p}*"]
  }

  statement {
    sid       = "SnsPrefixedTopics"
    actions   = ["sns:*"]
    resources = [for base in local.regional.sns : "${base}:${local.p}*"]
  }

  statement {
    sid     = "LambdaPrefixedFunctionsAndLayers"
    actions = ["lambda:*"]
    resources = flatten([for base in local.regional.lambda : [
      "${base}:function:${local.p}*",
      "${base}:layer:${local.p}*",
    ]])
  }

  statement {
    sid = "LambdaEventSourceMappingsOfPrefixedFunctions"
    actions = [
      "lambda:CreateEventSourceMapping",
      "lambda:DeleteEventSourceMapping",
      "lambda:UpdateEventSourceMapping",
    ]
    resources = [for base in local.regional.lambda : "${base}:event-source-mapping:*"]

    condition {
      test     = "ArnLike"
      variable = "lambda:FunctionArn"
      values   = [for base in local.regional.lambda : "${base}:function:${local.p}*"]
    }
  }

  statement {
    sid     = "LogsPrefixedLogGroups"
    actions = ["logs:*"]
    resources = flatten([for base in local.regional.logs : [
      "${base}:log-group:${local.p}*",
      "${base}:log-group:/aws/lambda/${local.p}*",
      "${base}:log-group:aws-waf-logs-${local.p}*",
    ]])
  }

  statement {
    sid = "LogsDeliveryForWafLogging"
    actions = [
      "logs:CreateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:DescribeResourcePolicies",
      "logs:PutResourcePolicy",
    ]
    resources = ["*"]
  }

  statement {
    sid     = "EventsAndSchedulerPrefixed"
    actions = ["events:*", "scheduler:*"]
    resources = flatten([
      [for base in local.regional.events : "${base}:rule/${local.p}*"],
      [for base in local.regional.scheduler : "${base}:schedule/*/${local.p}*"],
      [for base in local.regional.scheduler : "${base}:schedule-group/${local.p}*"],
    ])
  }

  statement {
    sid = "CloudWatchPrefixedAlarms"
    actions = [
      "cloudwatch:DeleteAlarms",
      "cloudwatch:PutMetricAlarm",
      "cloudwatch:TagResource",
      "cloudwatch:UntagResource",
    ]
    resources = [for base in local.regional.cloudwatch : "${base}:alarm:${local.p}*"]
  }

  statement {
    sid       = "SsmEnvironmentParameters"
    actions   = ["ssm:AddTagsToResource", "ssm:DeleteParameter", "ssm:PutParameter", "ssm:RemoveTagsFromResource"]
    resources = [for base in local.regional.ssm : "${base}:parameter${local.ssm_environment_path}/*"]
  }

  statement {
    sid = "EcrPullForImageFunctions"
    actions = [
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
      "ecr:GetRepositoryPolicy",
      "ecr:SetRepositoryPolicy",
    ]
    resources = [for base in local.regional.ecr : "${base}:repository/${local.p}*"]
  }

  statement {
    sid = "IamPrefixedRolesWithBoundary"
    actions = [
      "iam:AttachRolePolicy",
      "iam:CreateRole",
      "iam:DeleteRolePolicy",
      "iam:DetachRolePolicy",
      "iam:PutRolePermissionsBoundary",
      "iam:PutRolePolicy",
    ]
    resources = ["${local.arn}:iam::${local.acct}:role/${local.p}*"]

    dynamic "condition" {
      for_each = var.permissions_boundary_arn == null ? [] : [1]

      content {
        test     = "StringEquals"
        variable = "iam:PermissionsBoundary"
        values   = local.boundary_condition
      }
    }
  }

  statement {
    sid = "IamPrefixedRolesAndPolicies"
    actions = [
      "iam:CreatePolicy",
      "iam:CreatePolicyVersion",
      "iam:DeletePolicy",
      "iam:DeletePolicyVersion",
      "iam:DeleteRole",
      "iam:TagPolicy",
      "iam:TagRole",
      "iam:UntagPolicy",
      "iam:UntagRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:UpdateRole",
      "iam:UpdateRoleDescription",
    ]
    resources = [
      "${local.arn}:iam::${local.acct}:role/${local.p}*",
      "${local.arn}:iam::${local.acct}:policy/${local.p}*",
    ]
  }

  statement {
    sid       = "IamPassPrefixedRolesToServices"
    actions   = ["iam:PassRole"]
    resources = ["${local.arn}:iam::${local.acct}:role/${local.p}*"]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["apigateway.amazonaws.com", "events.amazonaws.com", "lambda.amazonaws.com", "scheduler.amazonaws.com"]
    }
  }

  statement {
    sid       = "KmsCreateKeysTaggedForEnvironment"
    actions   = ["kms:CreateKey", "kms:TagResource"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/${var.environment_tag_key}"
      values   = [var.environment]
    }
  }

  statement {
    sid = "KmsManageKeysOfEnvironment"
    actions = [
      "kms:CreateGrant",
      "kms:Decrypt",
      "kms:EnableKeyRotation",
      "kms:GenerateDataKey",
      "kms:PutKeyPolicy",
      "kms:RetireGrant",
      "kms:ScheduleKeyDeletion",
      "kms:UntagResource",
      "kms:UpdateKeyDescription",
    ]
    resources = [for base in local.regional.kms : "${base}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/${var.environment_tag_key}"
      values   = [var.environment]
    }
  }

  statement {
    sid       = "KmsPrefixedAliases"
    actions   = ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"]
    resources = [for base in local.regional.kms : "${base}:alias/${local.p}*"]
  }

  statement {
    sid       = "KmsAliasTargetsOfEnvironment"
    actions   = ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"]
    resources = [for base in local.regional.kms : "${base}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/${var.environment_tag_key}"
      values   = [var.environment]
    }
  }

  statement {
    sid       = "CloudFrontCreateDistributionsTaggedForEnvironment"
    actions   = ["cloudfront:CreateDistribution", "cloudfront:CreateDistributionWithTags", "cloudfront:TagResource"]
    resources = ["${local.arn}:cloudfront::${local.acct}:distribution/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/${var.environment_tag_key}"
      values   = [var.environment]
    }
  }

  statement {
    sid = "CloudFrontManageDistributionsOfEnvironment"
    actions = [
      "cloudfront:CreateInvalidation",
      "cloudfront:DeleteDistribution",
      "cloudfront:UntagResource",
      "cloudfront:UpdateDistribution",
    ]
    resources = ["${local.arn}:cloudfront::${local.acct}:distribution/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/${var.environment_tag_key}"
      values   = [var.environment]
    }
  }

  statement {
    sid = "CloudFrontPoliciesAndOacAccountWideNoNamesInArn"
    actions = [
      "cloudfront:CreateOriginAccessControl",
      "cloudfront:CreateResponseHeadersPolicy",
      "cloudfront:DeleteOriginAccessControl",
      "cloudfront:DeleteResponseHeadersPolicy",
      "cloudfront:UpdateOriginAccessControl",
      "cloudfront:UpdateResponseHeadersPolicy",
    ]
    resources = [
      "${local.arn}:cloudfront::${local.acct}:origin-access-control/*",
      "${local.arn}:cloudfront::${local.acct}:response-headers-policy/*",
    ]
  }

  statement {
    sid     = "WafPrefixedWebAcls"
    actions = ["wafv2:*"]
    resources = flatten([for base in local.regional.wafv2 : [
      "${base}:global/webacl/${local.p}*/*",
      "${base}:regional/webacl/${local.p}*/*",
      "${base}:global/managedruleset/*/*",
      "${base}:regional/managedruleset/*/*",
    ]])
  }

  statement {
    sid       = "ApiGatewayRegionWideNoNamesInArn"
    actions   = ["apigateway:DELETE", "apigateway:PATCH", "apigateway:POST", "apigateway:PUT", "apigateway:TagResource", "apigateway:UntagResource"]
    resources = flatten([for r in local.regions : ["${local.arn}:apigateway:${r}::/apis", "${local.arn}:apigateway:${r}::/apis/*", "${local.arn}:apigateway:${r}::/tags/*"]])
  }

  statement {
    sid       = "DenyChangesToDeployRoles"
    effect    = "Deny"
    actions   = ["iam:*"]
    resources = local.deploy_role_arns
  }

  statement {
    sid       = "DenyRemovingPermissionsBoundaries"
    effect    = "Deny"
    actions   = ["iam:DeleteRolePermissionsBoundary"]
    resources = ["*"]
  }

  statement {
    sid    = "DenyReconfiguringStateBucket"
    effect = "Deny"
    not_actions = [
      "s3:DeleteObject",
      "s3:GetObject",
      "s3:ListBucket",
      "s3:PutObject",
    ]
    resources = [aws_s3_bucket.state.arn, local.state_objects]
  }
}
