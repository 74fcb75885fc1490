# Two configurations of the provider (the default in ap-southeast-1 and an alias in
# us-east-1, as CloudFront-facing resources need) and data sources the offline provider
# answers with typed placeholders.
terraform {
  backend "s3" {
    bucket       = "acme-tfstate-111122223333"
    key          = "dev/edge/terraform.tfstate"
    region       = "ap-southeast-1"
    use_lockfile = true
  }

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.47"
    }
  }
}

provider "aws" {
  region              = "ap-southeast-1"
  allowed_account_ids = ["111122223333"]

  default_tags {
    tags = { Environment = "dev" }
  }

  ignore_tags {
    key_prefixes = ["kubernetes.io/"]
  }
}

provider "aws" {
  alias               = "us_east_1"
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]

  default_tags {
    tags = { Environment = "dev", Scope = "global" }
  }
}

data "aws_availability_zones" "available" {
  state = "available"
}

data "aws_ssm_parameter" "release" {
  name = "/edge/release"
}

resource "aws_sns_topic" "regional" {
  name = "edge-regional"
  tags = { "kubernetes.io/cluster" = "owned", Team = "edge" }
}

resource "aws_sns_topic" "global" {
  provider = aws.us_east_1
  name     = "edge-global"
}

output "zones" {
  value = data.aws_availability_zones.available.names
}

output "zones_id" {
  value = data.aws_availability_zones.available.id
}

output "release" {
  value     = data.aws_ssm_parameter.release.arn
  sensitive = false
}
