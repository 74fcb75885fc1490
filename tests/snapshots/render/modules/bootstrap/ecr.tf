# Shared ECR repositories, one per image blueprint: immutable tags (<git-sha>-<env>), scan
# on push, KMS encryption, and a lifecycle rule that keeps the last ecr_keep_images images.

resource "aws_kms_key" "ecr" {
  #checkov:skip=CKV2_AWS_64:the state and ECR keys keep AWS's default key policy (the account administers them through IAM), which is what an explicit policy would say
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
