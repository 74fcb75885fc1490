# The plan and apply roles' grants, derived from the reviewed table
# generator/iam/deploy_actions.toml for the resource types the stacks of stg contain:
# aws_apigatewayv2_api, aws_apigatewayv2_integration, aws_apigatewayv2_route,
# aws_apigatewayv2_stage, aws_caller_identity, aws_cloudfront_cache_policy,
# aws_cloudfront_distribution, aws_cloudfront_function,
# aws_cloudfront_origin_access_control, aws_cloudfront_origin_request_policy,
# aws_cloudfront_response_headers_policy, aws_cloudwatch_log_group,
# aws_cloudwatch_metric_alarm, aws_dynamodb_table, aws_iam_policy_document,
# aws_iam_role, aws_iam_role_policy, aws_kms_alias, aws_kms_key, aws_kms_key_policy,
# aws_lambda_event_source_mapping, aws_lambda_function,
# aws_lambda_function_event_invoke_config, aws_lambda_permission, aws_partition,
# aws_region, aws_s3_bucket, aws_s3_bucket_lifecycle_configuration,
# aws_s3_bucket_logging, aws_s3_bucket_ownership_controls, aws_s3_bucket_policy,
# aws_s3_bucket_public_access_block, aws_s3_bucket_server_side_encryption_configuration,
# aws_s3_bucket_versioning, aws_scheduler_schedule, aws_sns_topic, aws_sqs_queue,
# aws_sqs_queue_policy, aws_sqs_queue_redrive_allow_policy, aws_ssm_parameter,
# aws_wafv2_web_acl, aws_wafv2_web_acl_logging_configuration.
# The plan role gets their read actions, the apply role every phase's. Rendered by trellis.

data "aws_iam_policy_document" "plan_no_resource" {
  #checkov:skip=CKV_AWS_356:Resource "*" in a key policy means the key itself; the deploy roles' no_resource parts hold only actions AWS defines on no resource (proved against the IAM catalogue)
  statement {
    sid       = "AnyRead"
    effect    = "Allow"
    actions   = ["cloudfront:ListCachePolicies", "cloudfront:ListOriginRequestPolicies", "kms:ListAliases", "logs:DescribeLogGroups", "ssm:DescribeParameters"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "plan_1" {
  statement {
    sid       = "ApigatewayHttpApisRead"
    effect    = "Allow"
    actions   = ["apigateway:GET"]
    resources = ["arn:aws:apigateway:ap-southeast-1::/apis", "arn:aws:apigateway:ap-southeast-1::/apis/*", "arn:aws:apigateway:ap-southeast-1::/tags/*", "arn:aws:apigateway:us-east-1::/apis", "arn:aws:apigateway:us-east-1::/apis/*", "arn:aws:apigateway:us-east-1::/tags/*"]
  }

  statement {
    sid       = "CloudfrontCachePolicyRead"
    effect    = "Allow"
    actions   = ["cloudfront:GetCachePolicy"]
    resources = ["arn:aws:cloudfront::222222222222:cache-policy/*"]
  }

  statement {
    sid       = "CloudfrontDistributionOfEnvironmentRead"
    effect    = "Allow"
    actions   = ["cloudfront:GetDistribution", "cloudfront:ListTagsForResource"]
    resources = ["arn:aws:cloudfront::222222222222:distribution/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/env"
      values   = ["stg"]
    }
  }

  statement {
    sid       = "CloudfrontFunctionRead"
    effect    = "Allow"
    actions   = ["cloudfront:DescribeFunction", "cloudfront:GetFunction", "cloudfront:ListTagsForResource"]
    resources = ["arn:aws:cloudfront::222222222222:function/stg-*"]
  }

  statement {
    sid       = "CloudfrontOriginAccessControlRead"
    effect    = "Allow"
    actions   = ["cloudfront:GetOriginAccessControl"]
    resources = ["arn:aws:cloudfront::222222222222:origin-access-control/*"]
  }

  statement {
    sid       = "CloudfrontOriginRequestPolicyRead"
    effect    = "Allow"
    actions   = ["cloudfront:GetOriginRequestPolicy"]
    resources = ["arn:aws:cloudfront::222222222222:origin-request-policy/*"]
  }

  statement {
    sid       = "CloudfrontResponseHeadersPolicyRead"
    effect    = "Allow"
    actions   = ["cloudfront:GetResponseHeadersPolicy"]
    resources = ["arn:aws:cloudfront::222222222222:response-headers-policy/*"]
  }

  statement {
    sid       = "CloudwatchAlarmRead"
    effect    = "Allow"
    actions   = ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"]
    resources = ["arn:aws:cloudwatch:ap-southeast-1:222222222222:alarm:stg-*", "arn:aws:cloudwatch:us-east-1:222222222222:alarm:stg-*"]
  }

  statement {
    sid       = "DynamodbTableRead"
    effect    = "Allow"
    actions   = ["dynamodb:DescribeContinuousBackups", "dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive", "dynamodb:ListTagsOfResource"]
    resources = ["arn:aws:dynamodb:ap-southeast-1:222222222222:table/stg-*", "arn:aws:dynamodb:us-east-1:222222222222:table/stg-*"]
  }

  statement {
    sid       = "IamRoleRead"
    effect    = "Allow"
    actions   = ["iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListRolePolicies"]
    resources = ["arn:aws:iam::222222222222:role/stg-*"]
  }

  statement {
    sid       = "KmsKeyOfEnvironmentRead"
    effect    = "Allow"
    actions   = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"]
    resources = ["arn:aws:kms:ap-southeast-1:222222222222:key/*", "arn:aws:kms:us-east-1:222222222222:key/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/env"
      values   = ["stg"]
    }
  }

  statement {
    sid       = "KmsKeyViaSchedulerRead"
    effect    = "Allow"
    actions   = ["kms:Decrypt"]
    resources = ["arn:aws:kms:ap-southeast-1:222222222222:key/*", "arn:aws:kms:us-east-1:222222222222:key/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/env"
      values   = ["stg"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["scheduler.ap-southeast-1.amazonaws.com", "scheduler.us-east-1.amazonaws.com"]
    }
  }

  statement {
    sid       = "LambdaFunctionRead"
    effect    = "Allow"
    actions   = ["lambda:GetFunction", "lambda:GetFunctionCodeSigningConfig", "lambda:GetFunctionConfiguration", "lambda:GetFunctionEventInvokeConfig", "lambda:GetPolicy", "lambda:ListVersionsByFunction"]
    resources = ["arn:aws:lambda:ap-southeast-1:222222222222:function:stg-*", "arn:aws:lambda:us-east-1:222222222222:function:stg-*"]
  }

  statement {
    sid       = "LambdaMappingInAccountRead"
    effect    = "Allow"
    actions   = ["lambda:GetEventSourceMapping", "lambda:ListTags"]
    resources = ["arn:aws:lambda:ap-southeast-1:222222222222:event-source-mapping:*", "arn:aws:lambda:us-east-1:222222222222:event-source-mapping:*"]
  }

  statement {
    sid       = "LogGroupRead"
    effect    = "Allow"
    actions   = ["logs:ListTagsForResource", "logs:ListTagsLogGroup"]
    resources = ["arn:aws:logs:ap-southeast-1:222222222222:log-group:stg-*", "arn:aws:logs:us-east-1:222222222222:log-group:stg-*", "arn:aws:logs:ap-southeast-1:222222222222:log-group:/aws/lambda/stg-*", "arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/stg-*", "arn:aws:logs:ap-southeast-1:222222222222:log-group:aws-waf-logs-stg-*", "arn:aws:logs:us-east-1:222222222222:log-group:aws-waf-logs-stg-*"]
  }

  statement {
    sid       = "S3BucketRead"
    effect    = "Allow"
    actions   = ["s3:GetAccelerateConfiguration", "s3:GetBucketAcl", "s3:GetBucketCORS", "s3:GetBucketLogging", "s3:GetBucketObjectLockConfiguration", "s3:GetBucketOwnershipControls", "s3:GetBucketPolicy", "s3:GetBucketPublicAccessBlock", "s3:GetBucketRequestPayment", "s3:GetBucketTagging", "s3:GetBucketVersioning", "s3:GetBucketWebsite", "s3:GetEncryptionConfiguration", "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration", "s3:ListBucket"]
    resources = ["arn:aws:s3:::stg-*"]
  }

  statement {
    sid       = "SchedulerScheduleRead"
    effect    = "Allow"
    actions   = ["scheduler:GetSchedule"]
    resources = ["arn:aws:scheduler:ap-southeast-1:222222222222:schedule/*/stg-*", "arn:aws:scheduler:us-east-1:222222222222:schedule/*/stg-*"]
  }

  statement {
    sid       = "SnsTopicRead"
    effect    = "Allow"
    actions   = ["sns:GetTopicAttributes", "sns:ListTagsForResource"]
    resources = ["arn:aws:sns:ap-southeast-1:222222222222:stg-*", "arn:aws:sns:us-east-1:222222222222:stg-*"]
  }

  statement {
    sid       = "SqsQueueRead"
    effect    = "Allow"
    actions   = ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListQueueTags"]
    resources = ["arn:aws:sqs:ap-southeast-1:222222222222:stg-*", "arn:aws:sqs:us-east-1:222222222222:stg-*"]
  }

  statement {
    sid       = "SsmEnvironmentParameterRead"
    effect    = "Allow"
    actions   = ["ssm:GetParameter", "ssm:ListTagsForResource"]
    resources = ["arn:aws:ssm:ap-southeast-1:222222222222:parameter/trellis/stg/*", "arn:aws:ssm:us-east-1:222222222222:parameter/trellis/stg/*"]
  }

  statement {
    sid       = "Wafv2WebAclRead"
    effect    = "Allow"
    actions   = ["wafv2:GetLoggingConfiguration", "wafv2:GetWebACL", "wafv2:ListTagsForResource"]
    resources = ["arn:aws:wafv2:us-east-1:222222222222:global/webacl/stg-*/*"]
  }
}

data "aws_iam_policy_document" "apply_no_resource" {
  #checkov:skip=CKV_AWS_111:a KMS key policy must let the account administer the key (Resource "*" in a key policy means this key); the deploy roles' no_resource part holds only actions AWS defines on no resource (proved against the IAM catalogue), conditioned on the environment's tag or function prefix where AWS allows
  #checkov:skip=CKV_AWS_356:Resource "*" in a key policy means the key itself; the deploy roles' no_resource parts hold only actions AWS defines on no resource (proved against the IAM catalogue)
  statement {
    sid       = "AnyManage"
    effect    = "Allow"
    actions   = ["cloudfront:CreateFunction", "cloudfront:CreateOriginAccessControl", "cloudfront:CreateResponseHeadersPolicy", "cloudfront:ListCachePolicies", "cloudfront:ListOriginRequestPolicies", "kms:ListAliases", "logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeLogGroups", "logs:DescribeResourcePolicies", "logs:PutResourcePolicy", "ssm:DescribeParameters"]
    resources = ["*"]
  }

  statement {
    sid       = "AnyForPrefixedFunctionManage"
    effect    = "Allow"
    actions   = ["lambda:CreateEventSourceMapping"]
    resources = ["*"]

    condition {
      test     = "ArnLike"
      variable = "lambda:FunctionArn"
      values   = ["arn:aws:lambda:ap-southeast-1:222222222222:function:stg-*", "arn:aws:lambda:us-east-1:222222222222:function:stg-*"]
    }
  }

  statement {
    sid       = "AnyWithEnvironmentTagRequestManage"
    effect    = "Allow"
    actions   = ["cloudfront:CreateDistribution", "kms:CreateKey"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/env"
      values   = ["stg"]
    }
  }
}

data "aws_iam_policy_document" "apply_1" {
  statement {
    sid       = "ApigatewayHttpApisManage"
    effect    = "Allow"
    actions   = ["apigateway:DELETE", "apigateway:GET", "apigateway:PATCH", "apigateway:POST", "apigateway:PUT"]
    resources = ["arn:aws:apigateway:ap-southeast-1::/apis", "arn:aws:apigateway:ap-southeast-1::/apis/*", "arn:aws:apigateway:ap-southeast-1::/tags/*", "arn:aws:apigateway:us-east-1::/apis", "arn:aws:apigateway:us-east-1::/apis/*", "arn:aws:apigateway:us-east-1::/tags/*"]
  }

  statement {
    sid       = "CloudfrontCachePolicyManage"
    effect    = "Allow"
    actions   = ["cloudfront:GetCachePolicy"]
    resources = ["arn:aws:cloudfront::222222222222:cache-policy/*"]
  }

  statement {
    sid       = "CloudfrontDistributionOfEnvironmentManage"
    effect    = "Allow"
    actions   = ["cloudfront:DeleteDistribution", "cloudfront:GetDistribution", "cloudfront:ListTagsForResource", "cloudfront:TagResource", "cloudfront:UntagResource", "cloudfront:UpdateDistribution"]
    resources = ["arn:aws:cloudfront::222222222222:distribution/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/env"
      values   = ["stg"]
    }
  }

  statement {
    sid       = "CloudfrontDistributionTagRequestManage"
    effect    = "Allow"
    actions   = ["cloudfront:TagResource"]
    resources = ["arn:aws:cloudfront::222222222222:distribution/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/env"
      values   = ["stg"]
    }
  }

  statement {
    sid       = "CloudfrontFunctionManage"
    effect    = "Allow"
    actions   = ["cloudfront:DeleteFunction", "cloudfront:DescribeFunction", "cloudfront:GetFunction", "cloudfront:ListTagsForResource", "cloudfront:PublishFunction", "cloudfront:TagResource", "cloudfront:UntagResource", "cloudfront:UpdateFunction"]
    resources = ["arn:aws:cloudfront::222222222222:function/stg-*"]
  }

  statement {
    sid       = "CloudfrontOriginAccessControlManage"
    effect    = "Allow"
    actions   = ["cloudfront:DeleteOriginAccessControl", "cloudfront:GetOriginAccessControl", "cloudfront:UpdateOriginAccessControl"]
    resources = ["arn:aws:cloudfront::222222222222:origin-access-control/*"]
  }

  statement {
    sid       = "CloudfrontOriginRequestPolicyManage"
    effect    = "Allow"
    actions   = ["cloudfront:GetOriginRequestPolicy"]
    resources = ["arn:aws:cloudfront::222222222222:origin-request-policy/*"]
  }

  statement {
    sid       = "CloudfrontResponseHeadersPolicyManage"
    effect    = "Allow"
    actions   = ["cloudfront:DeleteResponseHeadersPolicy", "cloudfront:GetResponseHeadersPolicy", "cloudfront:UpdateResponseHeadersPolicy"]
    resources = ["arn:aws:cloudfront::222222222222:response-headers-policy/*"]
  }

  statement {
    sid       = "CloudwatchAlarmManage"
    effect    = "Allow"
    actions   = ["cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource", "cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "cloudwatch:UntagResource"]
    resources = ["arn:aws:cloudwatch:ap-southeast-1:222222222222:alarm:stg-*", "arn:aws:cloudwatch:us-east-1:222222222222:alarm:stg-*"]
  }

  statement {
    sid       = "DynamodbTableManage"
    effect    = "Allow"
    actions   = ["dynamodb:CreateTable", "dynamodb:DeleteTable", "dynamodb:DescribeContinuousBackups", "dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive", "dynamodb:ListTagsOfResource", "dynamodb:TagResource", "dynamodb:UntagResource", "dynamodb:UpdateContinuousBackups", "dynamodb:UpdateTable", "dynamodb:UpdateTimeToLive"]
    resources = ["arn:aws:dynamodb:ap-southeast-1:222222222222:table/stg-*", "arn:aws:dynamodb:us-east-1:222222222222:table/stg-*"]
  }

  statement {
    sid       = "EcrRepositoryManage"
    effect    = "Allow"
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = ["arn:aws:ecr:ap-southeast-1:222222222222:repository/stg-*", "arn:aws:ecr:us-east-1:222222222222:repository/stg-*"]
  }

  statement {
    sid       = "IamPassRoleManage"
    effect    = "Allow"
    actions   = ["iam:PassRole"]
    resources = ["arn:aws:iam::222222222222:role/stg-*"]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["apigateway.amazonaws.com", "lambda.amazonaws.com", "scheduler.amazonaws.com"]
    }
  }

  statement {
    sid       = "IamRoleManage"
    effect    = "Allow"
    actions   = ["iam:DeleteRole", "iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:ListRolePolicies", "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription"]
    resources = ["arn:aws:iam::222222222222:role/stg-*"]
  }

  statement {
    sid       = "IamRoleWithWorkloadBoundaryManage"
    effect    = "Allow"
    actions   = ["iam:CreateRole", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy"]
    resources = ["arn:aws:iam::222222222222:role/stg-*"]
  }

  statement {
    sid       = "KmsAliasManage"
    effect    = "Allow"
    actions   = ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"]
    resources = ["arn:aws:kms:ap-southeast-1:222222222222:alias/stg-*", "arn:aws:kms:us-east-1:222222222222:alias/stg-*"]
  }

  statement {
    sid       = "KmsKeyOfEnvironmentManage"
    effect    = "Allow"
    actions   = ["kms:CreateAlias", "kms:CreateGrant", "kms:DeleteAlias", "kms:DescribeKey", "kms:DisableKeyRotation", "kms:EnableKeyRotation", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource", "kms:UpdateAlias", "kms:UpdateKeyDescription"]
    resources = ["arn:aws:kms:ap-southeast-1:222222222222:key/*", "arn:aws:kms:us-east-1:222222222222:key/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/env"
      values   = ["stg"]
    }
  }

  statement {
    sid       = "KmsKeyTagRequestManage"
    effect    = "Allow"
    actions   = ["kms:TagResource"]
    resources = ["arn:aws:kms:ap-southeast-1:222222222222:key/*", "arn:aws:kms:us-east-1:222222222222:key/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/env"
      values   = ["stg"]
    }
  }

  statement {
    sid       = "KmsKeyViaSchedulerManage"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]
    resources = ["arn:aws:kms:ap-southeast-1:222222222222:key/*", "arn:aws:kms:us-east-1:222222222222:key/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/env"
      values   = ["stg"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["scheduler.ap-southeast-1.amazonaws.com", "scheduler.us-east-1.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "apply_2" {
  statement {
    sid       = "LambdaFunctionManage"
    effect    = "Allow"
    actions   = ["lambda:AddPermission", "lambda:CreateFunction", "lambda:DeleteFunction", "lambda:DeleteFunctionConcurrency", "lambda:DeleteFunctionEventInvokeConfig", "lambda:GetFunction", "lambda:GetFunctionCodeSigningConfig", "lambda:GetFunctionConfiguration", "lambda:GetFunctionEventInvokeConfig", "lambda:GetPolicy", "lambda:ListVersionsByFunction", "lambda:PutFunctionConcurrency", "lambda:PutFunctionEventInvokeConfig", "lambda:RemovePermission", "lambda:TagResource", "lambda:UntagResource", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration", "lambda:UpdateFunctionEventInvokeConfig"]
    resources = ["arn:aws:lambda:ap-southeast-1:222222222222:function:stg-*", "arn:aws:lambda:us-east-1:222222222222:function:stg-*"]
  }

  statement {
    sid       = "LambdaMappingInAccountManage"
    effect    = "Allow"
    actions   = ["lambda:GetEventSourceMapping", "lambda:ListTags"]
    resources = ["arn:aws:lambda:ap-southeast-1:222222222222:event-source-mapping:*", "arn:aws:lambda:us-east-1:222222222222:event-source-mapping:*"]
  }

  statement {
    sid       = "LambdaMappingOfEnvironmentManage"
    effect    = "Allow"
    actions   = ["lambda:UntagResource"]
    resources = ["arn:aws:lambda:ap-southeast-1:222222222222:event-source-mapping:*", "arn:aws:lambda:us-east-1:222222222222:event-source-mapping:*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/env"
      values   = ["stg"]
    }
  }

  statement {
    sid       = "LambdaMappingOfPrefixedFunctionManage"
    effect    = "Allow"
    actions   = ["lambda:DeleteEventSourceMapping", "lambda:UpdateEventSourceMapping"]
    resources = ["arn:aws:lambda:ap-southeast-1:222222222222:event-source-mapping:*", "arn:aws:lambda:us-east-1:222222222222:event-source-mapping:*"]

    condition {
      test     = "ArnLike"
      variable = "lambda:FunctionArn"
      values   = ["arn:aws:lambda:ap-southeast-1:222222222222:function:stg-*", "arn:aws:lambda:us-east-1:222222222222:function:stg-*"]
    }
  }

  statement {
    sid       = "LambdaMappingTagRequestManage"
    effect    = "Allow"
    actions   = ["lambda:TagResource"]
    resources = ["arn:aws:lambda:ap-southeast-1:222222222222:event-source-mapping:*", "arn:aws:lambda:us-east-1:222222222222:event-source-mapping:*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/env"
      values   = ["stg"]
    }
  }

  statement {
    sid       = "LogGroupManage"
    effect    = "Allow"
    actions   = ["logs:AssociateKmsKey", "logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:DeleteRetentionPolicy", "logs:DisassociateKmsKey", "logs:ListTagsForResource", "logs:ListTagsLogGroup", "logs:PutRetentionPolicy", "logs:TagLogGroup", "logs:TagResource", "logs:UntagLogGroup", "logs:UntagResource"]
    resources = ["arn:aws:logs:ap-southeast-1:222222222222:log-group:stg-*", "arn:aws:logs:us-east-1:222222222222:log-group:stg-*", "arn:aws:logs:ap-southeast-1:222222222222:log-group:/aws/lambda/stg-*", "arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/stg-*", "arn:aws:logs:ap-southeast-1:222222222222:log-group:aws-waf-logs-stg-*", "arn:aws:logs:us-east-1:222222222222:log-group:aws-waf-logs-stg-*"]
  }

  statement {
    sid       = "S3BucketManage"
    effect    = "Allow"
    actions   = ["s3:CreateBucket", "s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:GetAccelerateConfiguration", "s3:GetBucketAcl", "s3:GetBucketCORS", "s3:GetBucketLogging", "s3:GetBucketObjectLockConfiguration", "s3:GetBucketOwnershipControls", "s3:GetBucketPolicy", "s3:GetBucketPublicAccessBlock", "s3:GetBucketRequestPayment", "s3:GetBucketTagging", "s3:GetBucketVersioning", "s3:GetBucketWebsite", "s3:GetEncryptionConfiguration", "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration", "s3:ListBucket", "s3:PutBucketLogging", "s3:PutBucketOwnershipControls", "s3:PutBucketPolicy", "s3:PutBucketPublicAccessBlock", "s3:PutBucketTagging", "s3:PutBucketVersioning", "s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration"]
    resources = ["arn:aws:s3:::stg-*"]
  }

  statement {
    sid       = "SchedulerScheduleManage"
    effect    = "Allow"
    actions   = ["scheduler:CreateSchedule", "scheduler:DeleteSchedule", "scheduler:GetSchedule", "scheduler:UpdateSchedule"]
    resources = ["arn:aws:scheduler:ap-southeast-1:222222222222:schedule/*/stg-*", "arn:aws:scheduler:us-east-1:222222222222:schedule/*/stg-*"]
  }

  statement {
    sid       = "SnsTopicManage"
    effect    = "Allow"
    actions   = ["sns:CreateTopic", "sns:DeleteTopic", "sns:GetTopicAttributes", "sns:ListTagsForResource", "sns:SetTopicAttributes", "sns:TagResource", "sns:UntagResource"]
    resources = ["arn:aws:sns:ap-southeast-1:222222222222:stg-*", "arn:aws:sns:us-east-1:222222222222:stg-*"]
  }

  statement {
    sid       = "SqsQueueManage"
    effect    = "Allow"
    actions   = ["sqs:CreateQueue", "sqs:DeleteQueue", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListQueueTags", "sqs:SetQueueAttributes", "sqs:TagQueue", "sqs:UntagQueue"]
    resources = ["arn:aws:sqs:ap-southeast-1:222222222222:stg-*", "arn:aws:sqs:us-east-1:222222222222:stg-*"]
  }

  statement {
    sid       = "SsmEnvironmentParameterManage"
    effect    = "Allow"
    actions   = ["ssm:AddTagsToResource", "ssm:DeleteParameter", "ssm:GetParameter", "ssm:ListTagsForResource", "ssm:PutParameter", "ssm:RemoveTagsFromResource"]
    resources = ["arn:aws:ssm:ap-southeast-1:222222222222:parameter/trellis/stg/*", "arn:aws:ssm:us-east-1:222222222222:parameter/trellis/stg/*"]
  }

  statement {
    sid       = "Wafv2ManagedRuleGroupsManage"
    effect    = "Allow"
    actions   = ["wafv2:CreateWebACL", "wafv2:UpdateWebACL"]
    resources = ["arn:aws:wafv2:us-east-1:222222222222:global/managedruleset/*/*"]
  }

  statement {
    sid       = "Wafv2WebAclManage"
    effect    = "Allow"
    actions   = ["wafv2:CreateWebACL", "wafv2:DeleteLoggingConfiguration", "wafv2:DeleteWebACL", "wafv2:GetLoggingConfiguration", "wafv2:GetWebACL", "wafv2:ListTagsForResource", "wafv2:PutLoggingConfiguration", "wafv2:TagResource", "wafv2:UntagResource", "wafv2:UpdateWebACL"]
    resources = ["arn:aws:wafv2:us-east-1:222222222222:global/webacl/stg-*/*"]
  }
}
