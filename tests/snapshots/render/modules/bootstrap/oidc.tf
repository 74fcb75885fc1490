# GitHub Actions' OIDC identity provider. AWS validates GitHub's certificate chain itself,
# so no thumbprint is pinned. One per account: with several environments in one account,
# create it in one bootstrap and pass its ARN to the others.

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 1 : 0

  url            = "https://${local.github_oidc_host}"
  client_id_list = ["sts.amazonaws.com"]
  tags           = local.tags

  lifecycle {
    precondition {
      condition     = var.github_oidc_provider_arn == null
      error_message = "Set either create_github_oidc_provider = true or github_oidc_provider_arn, not both."
    }
  }
}
