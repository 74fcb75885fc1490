# portal (StaticSite) in prd, from blueprints/portal.yaml.
# Rendered by trellis: edit the blueprint, not this file.

locals {
  tags = {
    blueprint  = "portal"
    env        = "prd"
    managed-by = "trellis"
    team       = "identity"
  }
}

# The citizen-login stack publishes its API's domain here; /auth/* is routed to it.
data "aws_ssm_parameter" "auth_api_domain" {
  name = "/trellis/prd/citizen-login/api-domain"
}

module "site" {
  source = "../../modules/static_site"

  name               = "prd-portal"
  bucket_name        = "prd-portal-site-333333333333-ap-southeast-1"
  log_bucket_name    = "prd-portal-logs-333333333333-ap-southeast-1"
  domain             = "portal.example.gov.sg"
  certificate_arn    = "arn:aws:acm:us-east-1:333333333333:certificate/7d1e4b20-portal-prd"
  spa_fallback       = true
  price_class        = "PriceClass_100"
  waf_enabled        = true
  log_retention_days = 365
  auth_api_domain    = nonsensitive(data.aws_ssm_parameter.auth_api_domain.value)
  tags               = local.tags
}
