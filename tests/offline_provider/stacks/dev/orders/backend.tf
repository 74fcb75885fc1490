terraform {
  backend "s3" {
    bucket       = "acme-tfstate-111122223333"
    key          = "dev/orders/terraform.tfstate"
    region       = "ap-southeast-1"
    use_lockfile = true
    encrypt      = true
  }
}
