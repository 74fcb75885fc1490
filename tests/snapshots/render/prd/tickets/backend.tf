# State of tickets in prd: its own key, locked with S3's native
# lockfile, encrypted with the environment's state key (without kms_key_id, encrypt = true
# would write SSE-S3 and override the bucket's SSE-KMS default).
terraform {
  backend "s3" {
    bucket       = "trellis-tfstate-prd-333333333333-ap-southeast-1"
    key          = "support/tickets/terraform.tfstate"
    region       = "ap-southeast-1"
    encrypt      = true
    kms_key_id   = "arn:aws:kms:ap-southeast-1:333333333333:alias/trellis-tfstate-prd"
    use_lockfile = true
  }
}
