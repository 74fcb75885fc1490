# State of citizen-login in stg: its own key, locked with S3's native lockfile.
terraform {
  backend "s3" {
    bucket       = "stg-tfstate-222222222222-ap-southeast-1"
    key          = "identity/citizen-login/terraform.tfstate"
    region       = "ap-southeast-1"
    encrypt      = true
    use_lockfile = true
  }
}
