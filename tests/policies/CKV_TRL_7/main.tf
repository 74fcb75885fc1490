resource "aws_dynamodb_table" "pass_dev_no_approval" {
  name                        = "pass-dev"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = false
  attribute {
    name = "id"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  tags = {
    approval = "none"
  }
}

resource "aws_dynamodb_table" "pass_prd_protected" {
  name                        = "pass-prd"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = true
  attribute {
    name = "id"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  tags = {
    approval = "required"
  }
}

resource "aws_dynamodb_table" "fail_no_pitr" {
  name         = "fail-no-pitr"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
  tags = {
    approval = "none"
  }
}

resource "aws_dynamodb_table" "fail_prd_unprotected" {
  name                        = "fail-prd"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = false
  attribute {
    name = "id"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  tags = {
    approval = "required"
  }
}

resource "aws_dynamodb_table" "fail_untagged_unprotected" {
  name         = "fail-untagged"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
}
