# portal (StaticSite) in dev, from blueprints/portal.yaml.
# Rendered by trellis: edit the blueprint, not this file.

locals {
  tags = {
    blueprint  = "portal"
    env        = "dev"
    managed-by = "trellis"
    team       = "identity"
  }
}

# The citizen-login stack publishes its API's domain here; /auth/* is routed to it.
data "aws_ssm_parameter" "auth_api_domain" {
  name = "/trellis/dev/citizen-login/api-domain"
}

module "site" {
  source = "../../modules/static_site"

  name               = "dev-portal"
  bucket_name        = "dev-portal-site-111111111111-ap-southeast-1"
  log_bucket_name    = "dev-portal-logs-111111111111-ap-southeast-1"
  domain             = "dev.portal.example.gov.sg"
  certificate_arn    = "arn:aws:acm:us-east-1:111111111111:certificate/0f3c2a9e-portal-dev"
  spa_fallback       = true
  price_class        = "PriceClass_100"
  waf_enabled        = false
  log_retention_days = 30
  auth_api_domain    = nonsensitive(data.aws_ssm_parameter.auth_api_domain.value)
  tags               = local.tags
}
