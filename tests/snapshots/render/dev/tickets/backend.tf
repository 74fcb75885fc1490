# State of tickets in dev: its own key, locked with S3's native lockfile.
terraform {
  backend "s3" {
    bucket       = "dev-tfstate-111111111111-ap-southeast-1"
    key          = "support/tickets/terraform.tfstate"
    region       = "ap-southeast-1"
    encrypt      = true
    use_lockfile = true
  }
}
