# Example root stack (what `trellis render` writes to build/prd/portal/): a StaticSite in a
# prd environment with a custom domain, the AuthFlow's API under /auth/*, and WAF
# (approval: required).

terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }

  backend "s3" {
    bucket       = "trellis-tfstate-prd-333333333333"
    key          = "prd/portal/terraform.tfstate"
    region       = "ap-southeast-1"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region              = "ap-southeast-1"
  allowed_account_ids = ["333333333333"]

  default_tags {
    tags = {
      "trellis:environment" = "prd"
      "trellis:blueprint"   = "portal"
      "trellis:team"        = "identity"
    }
  }
}

module "site" {
  source = "../../modules/static_site"

  name            = "prd-portal"
  bucket_name     = "prd-portal-site-333333333333-ap-southeast-1"
  log_bucket_name = "prd-portal-logs-333333333333-ap-southeast-1"
  domain          = "portal.example.gov.sg"
  certificate_arn = "arn:aws:acm:us-east-1:333333333333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
  spa_fallback    = true
  price_class     = "PriceClass_100"
  waf_enabled     = true
  auth_api_domain = "abcdef1234.execute-api.ap-southeast-1.amazonaws.com"

  tags = {
    "trellis:blueprint" = "portal"
  }
}

output "url" {
  description = "HTTPS URL of the site."
  value       = module.site.url
}
