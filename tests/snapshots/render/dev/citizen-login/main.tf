# citizen-login (AuthFlow) in dev, from blueprints/citizen-login.yaml.
# Rendered by trellis: edit the blueprint, not this file.

locals {
  package_file = "${path.module}/../../bundles/33559f24251558cd7bf056fa5e4a90cd308685832715be7075ce4f54bb8a8f19.zip"

  tags = {
    blueprint  = "citizen-login"
    env        = "dev"
    managed-by = "trellis"
    team       = "identity"
  }
}

module "kms" {
  source = "../../modules/kms_key"

  alias              = "alias/dev-citizen-login"
  description        = "Encrypts the logs, environment and alarms of citizen-login in dev: Singpass login for the citizen portal"
  service_principals = ["cloudwatch.amazonaws.com"]
  tags               = local.tags
}

module "login" {
  source = "../../modules/lambda_function"

  function_name           = "dev-citizen-login-login"
  description             = "Starts a Singpass login: pushed authorization request, then a redirect."
  handler                 = "runtime.auth.login.handler"
  runtime                 = "python3.13"
  architecture            = "arm64"
  package_file            = local.package_file
  package_base64sha256    = "M1WfJCUVWM178Fb6XkqQzTCGhYMnFb5wdc5PVLuKjxk="
  memory_size             = 256
  timeout                 = 15
  application_log_level   = "DEBUG"
  log_group_name          = "/aws/lambda/dev-citizen-login-login"
  log_retention_days      = 30
  kms_key_arn             = module.kms.key_arn
  role_name               = "dev-citizen-login-login"
  assume_role_policy_json = data.aws_iam_policy_document.login_trust.json
  policy_json             = data.aws_iam_policy_document.login.json
  permissions_boundary    = null

  environment_variables = {
    TRELLIS_AUTH      = "{\"allowed_return_paths\":[\"/dashboard\",\"/profile\"],\"authentication_context_message\":\"Sign in to the citizen portal\",\"authentication_context_type\":\"APP_AUTHENTICATION_DEFAULT\",\"issuer\":\"https://stg-id.singpass.gov.sg/fapi\",\"parameters\":{\"client_id\":\"/identity/singpass/client-id\",\"signing_key\":\"/identity/singpass/rp-signing-jwk\",\"state_key\":\"/identity/singpass/state-keys\"},\"profile\":\"fapi2\",\"redirect_uri\":\"https://portal.example.gov.sg/auth/callback\",\"scopes\":[\"openid\",\"name\"],\"session_ttl_minutes\":15}"
    TRELLIS_BLUEPRINT = "citizen-login"
    TRELLIS_ENV       = "dev"
    TRELLIS_FUNCTION  = "login"
    TRELLIS_LOG_LEVEL = "DEBUG"
  }

  tags = local.tags
}

module "callback" {
  source = "../../modules/lambda_function"

  function_name           = "dev-citizen-login-callback"
  description             = "Finishes a Singpass login: checks, code exchange, sealed session cookie."
  handler                 = "runtime.auth.callback.handler"
  runtime                 = "python3.13"
  architecture            = "arm64"
  package_file            = local.package_file
  package_base64sha256    = "M1WfJCUVWM178Fb6XkqQzTCGhYMnFb5wdc5PVLuKjxk="
  memory_size             = 256
  timeout                 = 15
  application_log_level   = "DEBUG"
  log_group_name          = "/aws/lambda/dev-citizen-login-callback"
  log_retention_days      = 30
  kms_key_arn             = module.kms.key_arn
  role_name               = "dev-citizen-login-callback"
  assume_role_policy_json = data.aws_iam_policy_document.callback_trust.json
  policy_json             = data.aws_iam_policy_document.callback.json
  permissions_boundary    = null

  environment_variables = {
    TRELLIS_AUTH      = "{\"allowed_return_paths\":[\"/dashboard\",\"/profile\"],\"authentication_context_message\":\"Sign in to the citizen portal\",\"authentication_context_type\":\"APP_AUTHENTICATION_DEFAULT\",\"issuer\":\"https://stg-id.singpass.gov.sg/fapi\",\"parameters\":{\"client_id\":\"/identity/singpass/client-id\",\"encryption_key\":\"/identity/singpass/rp-encryption-jwk\",\"signing_key\":\"/identity/singpass/rp-signing-jwk\",\"state_key\":\"/identity/singpass/state-keys\"},\"profile\":\"fapi2\",\"redirect_uri\":\"https://portal.example.gov.sg/auth/callback\",\"scopes\":[\"openid\",\"name\"],\"session_ttl_minutes\":15}"
    TRELLIS_BLUEPRINT = "citizen-login"
    TRELLIS_ENV       = "dev"
    TRELLIS_FUNCTION  = "callback"
    TRELLIS_LOG_LEVEL = "DEBUG"
  }

  tags = local.tags
}

module "session" {
  source = "../../modules/lambda_function"

  function_name           = "dev-citizen-login-session"
  description             = "Answers /auth/me with the signed-in user's claims."
  handler                 = "runtime.auth.session.handler"
  runtime                 = "python3.13"
  architecture            = "arm64"
  package_file            = local.package_file
  package_base64sha256    = "M1WfJCUVWM178Fb6XkqQzTCGhYMnFb5wdc5PVLuKjxk="
  memory_size             = 256
  timeout                 = 15
  application_log_level   = "DEBUG"
  log_group_name          = "/aws/lambda/dev-citizen-login-session"
  log_retention_days      = 30
  kms_key_arn             = module.kms.key_arn
  role_name               = "dev-citizen-login-session"
  assume_role_policy_json = data.aws_iam_policy_document.session_trust.json
  policy_json             = data.aws_iam_policy_document.session.json
  permissions_boundary    = null

  environment_variables = {
    TRELLIS_AUTH      = "{\"allowed_return_paths\":[\"/dashboard\",\"/profile\"],\"authentication_context_message\":\"Sign in to the citizen portal\",\"authentication_context_type\":\"APP_AUTHENTICATION_DEFAULT\",\"issuer\":\"https://stg-id.singpass.gov.sg/fapi\",\"parameters\":{\"state_key\":\"/identity/singpass/state-keys\"},\"profile\":\"fapi2\",\"redirect_uri\":\"https://portal.example.gov.sg/auth/callback\",\"scopes\":[\"openid\",\"name\"],\"session_ttl_minutes\":15}"
    TRELLIS_BLUEPRINT = "citizen-login"
    TRELLIS_ENV       = "dev"
    TRELLIS_FUNCTION  = "session"
    TRELLIS_LOG_LEVEL = "DEBUG"
  }

  tags = local.tags
}

module "logout" {
  source = "../../modules/lambda_function"

  function_name           = "dev-citizen-login-logout"
  description             = "Clears the login and session cookies."
  handler                 = "runtime.auth.logout.handler"
  runtime                 = "python3.13"
  architecture            = "arm64"
  package_file            = local.package_file
  package_base64sha256    = "M1WfJCUVWM178Fb6XkqQzTCGhYMnFb5wdc5PVLuKjxk="
  memory_size             = 256
  timeout                 = 15
  application_log_level   = "DEBUG"
  log_group_name          = "/aws/lambda/dev-citizen-login-logout"
  log_retention_days      = 30
  kms_key_arn             = module.kms.key_arn
  role_name               = "dev-citizen-login-logout"
  assume_role_policy_json = data.aws_iam_policy_document.logout_trust.json
  policy_json             = data.aws_iam_policy_document.logout.json
  permissions_boundary    = null

  environment_variables = {
    TRELLIS_AUTH      = "{\"allowed_return_paths\":[\"/dashboard\",\"/profile\"],\"authentication_context_message\":\"Sign in to the citizen portal\",\"authentication_context_type\":\"APP_AUTHENTICATION_DEFAULT\",\"issuer\":\"https://stg-id.singpass.gov.sg/fapi\",\"parameters\":{},\"profile\":\"fapi2\",\"redirect_uri\":\"https://portal.example.gov.sg/auth/callback\",\"scopes\":[\"openid\",\"name\"],\"session_ttl_minutes\":15}"
    TRELLIS_BLUEPRINT = "citizen-login"
    TRELLIS_ENV       = "dev"
    TRELLIS_FUNCTION  = "logout"
    TRELLIS_LOG_LEVEL = "DEBUG"
  }

  tags = local.tags
}

module "jwks" {
  source = "../../modules/lambda_function"

  function_name           = "dev-citizen-login-jwks"
  description             = "Publishes the relying party's public keys for Singpass."
  handler                 = "runtime.auth.jwks.handler"
  runtime                 = "python3.13"
  architecture            = "arm64"
  package_file            = local.package_file
  package_base64sha256    = "M1WfJCUVWM178Fb6XkqQzTCGhYMnFb5wdc5PVLuKjxk="
  memory_size             = 256
  timeout                 = 15
  application_log_level   = "DEBUG"
  log_group_name          = "/aws/lambda/dev-citizen-login-jwks"
  log_retention_days      = 30
  kms_key_arn             = module.kms.key_arn
  role_name               = "dev-citizen-login-jwks"
  assume_role_policy_json = data.aws_iam_policy_document.jwks_trust.json
  policy_json             = data.aws_iam_policy_document.jwks.json
  permissions_boundary    = null

  environment_variables = {
    TRELLIS_AUTH      = "{\"allowed_return_paths\":[\"/dashboard\",\"/profile\"],\"authentication_context_message\":\"Sign in to the citizen portal\",\"authentication_context_type\":\"APP_AUTHENTICATION_DEFAULT\",\"issuer\":\"https://stg-id.singpass.gov.sg/fapi\",\"parameters\":{\"public_jwks\":\"/identity/singpass/rp-public-jwks\"},\"profile\":\"fapi2\",\"redirect_uri\":\"https://portal.example.gov.sg/auth/callback\",\"scopes\":[\"openid\",\"name\"],\"session_ttl_minutes\":15}"
    TRELLIS_BLUEPRINT = "citizen-login"
    TRELLIS_ENV       = "dev"
    TRELLIS_FUNCTION  = "jwks"
    TRELLIS_LOG_LEVEL = "DEBUG"
  }

  tags = local.tags
}

# The HTTP API in front of the functions; it publishes its domain for the portal.
module "auth" {
  source = "../../modules/auth_flow"

  name          = "dev-citizen-login-api"
  callback_path = "/auth/callback"
  functions = {
    login = {
      function_name = module.login.function_name
      function_arn  = module.login.function_arn
    }
    callback = {
      function_name = module.callback.function_name
      function_arn  = module.callback.function_arn
    }
    session = {
      function_name = module.session.function_name
      function_arn  = module.session.function_arn
    }
    logout = {
      function_name = module.logout.function_name
      function_arn  = module.logout.function_arn
    }
    jwks = {
      function_name = module.jwks.function_name
      function_arn  = module.jwks.function_arn
    }
  }
  throttling_rate_limit     = 50
  throttling_burst_limit    = 100
  access_log_group_name     = "dev-citizen-login-api-access"
  log_retention_days        = 30
  kms_key_arn               = module.kms.key_arn
  api_domain_parameter_name = "/trellis/dev/citizen-login/api-domain"
  alarm_topic_name          = "dev-citizen-login-alarms"
  tags                      = local.tags
}
