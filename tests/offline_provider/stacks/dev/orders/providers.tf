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
  region              = "ap-southeast-1"
  allowed_account_ids = ["111122223333"]

  default_tags {
    tags = {
      Environment = "dev"
      Blueprint   = "orders"
      ManagedBy   = "trellis"
    }
  }
}
