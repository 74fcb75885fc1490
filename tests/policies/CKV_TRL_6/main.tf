# pass: versioned, noncurrent versions expire
resource "aws_s3_bucket" "pass_backup" {
  bucket = "pass-backup"
}

resource "aws_s3_bucket_versioning" "pass_backup" {
  bucket = aws_s3_bucket.pass_backup.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "pass_backup" {
  bucket = aws_s3_bucket.pass_backup.id
  rule {
    id     = "noncurrent"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 365
    }
  }
}

# fail: not versioned at all
resource "aws_s3_bucket" "fail_unversioned" {
  bucket = "fail-unversioned"
}

# fail: versioning suspended
resource "aws_s3_bucket" "fail_suspended" {
  bucket = "fail-suspended"
}

resource "aws_s3_bucket_versioning" "fail_suspended" {
  bucket = aws_s3_bucket.fail_suspended.id
  versioning_configuration {
    status = "Suspended"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "fail_suspended" {
  bucket = aws_s3_bucket.fail_suspended.id
  rule {
    id     = "noncurrent"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 365
    }
  }
}

# fail: versioned, but noncurrent versions are kept forever
resource "aws_s3_bucket" "fail_no_expiration" {
  bucket = "fail-no-expiration"
}

resource "aws_s3_bucket_versioning" "fail_no_expiration" {
  bucket = aws_s3_bucket.fail_no_expiration.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "fail_no_expiration" {
  bucket = aws_s3_bucket.fail_no_expiration.id
  rule {
    id     = "multipart"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}
