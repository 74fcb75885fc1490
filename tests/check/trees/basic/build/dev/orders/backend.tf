terraform {
  backend "s3" {
    bucket       = "trellis-state-111111111111-ap-southeast-1"
    key          = "dev/orders/terraform.tfstate"
    region       = "ap-southeast-1"
    encrypt      = true
    use_lockfile = true
  }
}
