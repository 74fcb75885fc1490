terraform {
  backend "s3" {
    bucket       = "acme-tfstate-444455556666"
    key          = "prd/orders/terraform.tfstate"
    region       = "eu-west-1"
    use_lockfile = true
    encrypt      = true
  }
}
