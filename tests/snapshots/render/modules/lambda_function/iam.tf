resource "aws_iam_role" "this" {
  name                 = var.role_name
  description          = "Execution role of ${var.function_name}; grants only what its code calls."
  assume_role_policy   = var.assume_role_policy_json
  permissions_boundary = var.permissions_boundary
  tags                 = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "least-privilege"
  role   = aws_iam_role.this.id
  policy = var.policy_json
}
