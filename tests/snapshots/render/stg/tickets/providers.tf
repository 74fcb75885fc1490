provider "aws" {
  region              = "ap-southeast-1"
  allowed_account_ids = ["222222222222"]

  default_tags {
    tags = {
      blueprint  = "tickets"
      env        = "stg"
      managed-by = "trellis"
      team       = "support"
    }
  }
}
