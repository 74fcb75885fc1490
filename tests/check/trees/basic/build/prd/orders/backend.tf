terraform {
  backend "s3" {
    bucket       = "trellis-state-333333333333-ap-southeast-1"
    key          = "prd/orders/terraform.tfstate"
    region       = "ap-southeast-1"
    encrypt      = true
    use_lockfile = true
  }
}
