# portal (StaticSite) in stg, from blueprints/portal.yaml.
# Rendered by trellis: edit the blueprint, not this file.

locals {
  tags = {
    blueprint  = "portal"
    env        = "stg"
    managed-by = "trellis"
    team       = "identity"
  }
}

# The citizen-login stack publishes its API's domain here; /auth/* is routed to it.
data "aws_ssm_parameter" "auth_api_domain" {
  name = "/trellis/stg/citizen-login/api-domain"
}

module "site" {
  source = "../../modules/static_site"

  name               = "stg-portal"
  bucket_name        = "stg-portal-site-222222222222-ap-southeast-1"
  log_bucket_name    = "stg-portal-logs-222222222222-ap-southeast-1"
  domain             = "stg.portal.example.gov.sg"
  certificate_arn    = "arn:aws:acm:us-east-1:222222222222:certificate/5a9c8e31-portal-stg"
  spa_fallback       = true
  price_class        = "PriceClass_100"
  waf_enabled        = false
  log_retention_days = 90
  auth_api_domain    = nonsensitive(data.aws_ssm_parameter.auth_api_domain.value)
  tags               = local.tags
}
