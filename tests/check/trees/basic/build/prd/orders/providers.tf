provider "aws" {
  region              = "ap-southeast-1"
  allowed_account_ids = ["333333333333"]

  default_tags {
    tags = {
      team       = "commerce"
      blueprint  = "orders"
      env        = "prd"
      managed-by = "trellis"
    }
  }
}
