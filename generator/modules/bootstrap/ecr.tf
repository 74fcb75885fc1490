# Shared ECR repositories, one per image blueprint: immutable tags (<git-sha>-<env>), scan
# on push, KMS encryption, a lifecycle rule that keeps the last ecr_keep_images images, and
# a repository policy that lets Lambda pull for this account's functions of this
# environment only.
#
# Lambda pulls a function's image with the service's own access, which the repository
# policy grants (AWS: "Amazon ECR repository policies" in the Lambda developer guide), so
# no execution role holds any ecr: permission. With that statement in place Lambda need not
# add one itself, so the deploy roles need neither ecr:GetRepositoryPolicy nor
# ecr:SetRepositoryPolicy (which would let them rewrite this policy).

resource "aws_kms_key" "ecr" {
  count = length(var.ecr_repositories) > 0 ? 1 : 0

  description             = "Encrypts the ECR repositories of the ${var.environment} environment"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = local.tags
}

resource "aws_ecr_repository" "image" {
  for_each = toset(var.ecr_repositories)

  name                 = "${local.prefix}${each.value}"
  image_tag_mutability = "IMMUTABLE"
  tags                 = local.tags

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr[0].arn
  }
}

resource "aws_ecr_lifecycle_policy" "image" {
  for_each = aws_ecr_repository.image

  repository = each.value.name
  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Keep the last ${var.ecr_keep_images} images"
        selection = {
          tagStatus   = "any"
          countType   = "imageCountMoreThan"
          countNumber = var.ecr_keep_images
        }
        action = { type = "expire" }
      },
    ]
  })
}

data "aws_iam_policy_document" "lambda_pull" {
  statement {
    sid     = "LambdaPullForThisEnvironmentsFunctions"
    actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:lambda:${local.region}:${local.account_id}:function:${local.prefix}*"]
    }
  }
}

resource "aws_ecr_repository_policy" "lambda_pull" {
  for_each = aws_ecr_repository.image

  repository = each.value.name
  policy     = data.aws_iam_policy_document.lambda_pull.json
}
