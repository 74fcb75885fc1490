# The container image this stack deploys (package: image), by digest: the images job of
# trellis-deploy.yml pushes build/images/orders/ to the environment's repository
# and passes the pushed digest here (TF_VAR_image_digest), so plan and apply run exactly the
# image that was built. A tag could be re-pointed between plan and apply; a digest cannot.
# `trellis plan --offline` passes a stand-in derived from the context (see the review).

variable "image_digest" {
  description = "Digest of the pushed image of orders (sha256:<64 hex>), from the deploy workflow's images job."
  type        = string

  validation {
    condition     = can(regex("^sha256:[0-9a-f]{64}$", var.image_digest))
    error_message = "image_digest must be an image digest, sha256:<64 hex digits>: the digest the images job pushed, never a tag."
  }
}

locals {
  image_repository_url = "111111111111.dkr.ecr.ap-southeast-1.amazonaws.com/dev-orders"
  image_uri            = "${local.image_repository_url}@${var.image_digest}"
}
