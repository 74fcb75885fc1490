terraform {
  required_version = ">= 1.9"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.47"
    }
  }
}

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["444455556666"]

  default_tags {
    tags = {
      Environment = "prd"
      Blueprint   = "orders"
      ManagedBy   = "trellis"
    }
  }
}
