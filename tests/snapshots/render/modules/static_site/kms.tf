# Customer managed key for the site bucket. CloudFront reads objects through OAC, so the
# key policy lets the CloudFront service decrypt on behalf of this distribution only.

resource "aws_kms_key" "site" {
  description             = "Encrypts the objects of the ${var.name} static site bucket"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = local.tags
}

resource "aws_kms_alias" "site" {
  name          = "alias/${var.name}-site"
  target_key_id = aws_kms_key.site.key_id
}

data "aws_iam_policy_document" "site_key" {
  #checkov:skip=CKV_AWS_109:a KMS key policy must let the account administer the key; Resource "*" in a key policy means this key
  #checkov:skip=CKV_AWS_111:a KMS key policy must let the account administer the key (Resource "*" in a key policy means this key); the deploy roles' no_resource part holds only actions AWS defines on no resource (proved against the IAM catalogue), conditioned on the environment's tag or function prefix where AWS allows
  #checkov:skip=CKV_AWS_356:Resource "*" in a key policy means the key itself; the deploy roles' no_resource parts hold only actions AWS defines on no resource (proved against the IAM catalogue)
  statement {
    sid       = "AccountAdministersKey"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudFrontDecryptsForThisDistribution"
    actions   = ["kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.site.arn]
    }
  }
}

resource "aws_kms_key_policy" "site" {
  key_id = aws_kms_key.site.id
  policy = data.aws_iam_policy_document.site_key.json
}
