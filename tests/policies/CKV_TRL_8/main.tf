provider "aws" {
  region = "ap-southeast-1"
  default_tags {
    tags = {
      team      = "commerce"
      blueprint = "orders"
      env       = "dev"
    }
  }
}

provider "aws" {
  alias  = "missing_env"
  region = "us-east-1"
  default_tags {
    tags = {
      team      = "commerce"
      blueprint = "orders"
    }
  }
}

provider "aws" {
  alias  = "no_default_tags"
  region = "eu-west-1"
}

provider "aws" {
  alias  = "empty_team"
  region = "eu-west-2"
  default_tags {
    tags = {
      team      = ""
      blueprint = "orders"
      env       = "dev"
    }
  }
}
