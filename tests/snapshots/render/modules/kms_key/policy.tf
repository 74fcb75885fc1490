# The key policy: the account administers the key through IAM; each AWS service that
# encrypts this pipeline's data may use it only on behalf of this account.
data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_109:a KMS key policy must let the account administer the key; Resource "*" in a key policy means this key
  #checkov:skip=CKV_AWS_111:a KMS key policy must let the account administer the key (Resource "*" in a key policy means this key); the deploy roles' no_resource part holds only actions AWS defines on no resource (proved against the IAM catalogue), conditioned on the environment's tag or function prefix where AWS allows
  #checkov:skip=CKV_AWS_356:Resource "*" in a key policy means the key itself; the deploy roles' no_resource parts hold only actions AWS defines on no resource (proved against the IAM catalogue)
  statement {
    sid       = "AccountAdministersThroughIam"
    effect    = "Allow"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchLogsEncryptsOwnLogGroups"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:Describe*", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${data.aws_region.current.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:log-group:*"]
    }
  }

  statement {
    sid       = "ServicesEncryptOnBehalfOfAccount"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = var.service_principals
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}
