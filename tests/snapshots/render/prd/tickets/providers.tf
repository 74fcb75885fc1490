provider "aws" {
  region              = "ap-southeast-1"
  allowed_account_ids = ["333333333333"]

  default_tags {
    tags = {
      blueprint  = "tickets"
      env        = "prd"
      managed-by = "trellis"
      team       = "support"
    }
  }
}
