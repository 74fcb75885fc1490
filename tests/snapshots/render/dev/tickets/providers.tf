provider "aws" {
  region              = "ap-southeast-1"
  allowed_account_ids = ["111111111111"]

  default_tags {
    tags = {
      blueprint  = "tickets"
      env        = "dev"
      managed-by = "trellis"
      team       = "support"
    }
  }
}
