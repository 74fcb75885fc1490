provider "aws" {
  region              = "ap-southeast-1"
  allowed_account_ids = ["111111111111"]

  default_tags {
    tags = {
      team       = "commerce"
      blueprint  = "orders"
      env        = "dev"
      managed-by = "trellis"
    }
  }
}
