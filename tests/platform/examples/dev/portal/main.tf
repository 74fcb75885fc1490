# Example root stack (what `trellis render` writes to build/dev/portal/): a StaticSite in a
# dev environment, default CloudFront certificate, no WAF (approval: none).

terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }

  backend "s3" {
    bucket       = "trellis-tfstate-dev-111111111111"
    key          = "dev/portal/terraform.tfstate"
    region       = "ap-southeast-1"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region              = "ap-southeast-1"
  allowed_account_ids = ["111111111111"]

  default_tags {
    tags = {
      "trellis:environment" = "dev"
      "trellis:blueprint"   = "portal"
      "trellis:team"        = "identity"
    }
  }
}

module "site" {
  source = "../../modules/static_site"

  name            = "dev-portal"
  bucket_name     = "dev-portal-site-111111111111-ap-southeast-1"
  log_bucket_name = "dev-portal-logs-111111111111-ap-southeast-1"
  spa_fallback    = true
  price_class     = "PriceClass_100"
  waf_enabled     = false

  tags = {
    "trellis:blueprint" = "portal"
  }
}

output "url" {
  description = "HTTPS URL of the site."
  value       = module.site.url
}
