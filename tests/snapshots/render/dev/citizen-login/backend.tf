# State of citizen-login in dev: its own key, locked with S3's native lockfile.
terraform {
  backend "s3" {
    bucket       = "dev-tfstate-111111111111-ap-southeast-1"
    key          = "identity/citizen-login/terraform.tfstate"
    region       = "ap-southeast-1"
    encrypt      = true
    use_lockfile = true
  }
}
