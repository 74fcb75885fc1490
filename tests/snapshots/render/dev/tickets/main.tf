# tickets (IngestionPipeline) in dev, from blueprints/tickets.yaml.
# Rendered by trellis: edit the blueprint, not this file.

locals {
  package_file = "${path.module}/../../bundles/33559f24251558cd7bf056fa5e4a90cd308685832715be7075ce4f54bb8a8f19.zip"

  tags = {
    blueprint  = "tickets"
    env        = "dev"
    managed-by = "trellis"
    team       = "support"
  }
}

module "kms" {
  source = "../../modules/kms_key"

  alias              = "alias/dev-tickets"
  description        = "Encrypts the queues, table, backups, logs and alarms of tickets in dev: Support tickets from the helpdesk API, fetched incrementally"
  service_principals = ["cloudwatch.amazonaws.com"]
  tags               = local.tags
}

module "queue" {
  source = "../../modules/sqs_queue"

  name                          = "dev-tickets-records"
  dead_letter_name              = "dev-tickets-records-dlq"
  visibility_timeout_seconds    = 360
  max_receive_count             = 5
  dead_letter_retention_seconds = 1209600
  kms_key_arn                   = module.kms.key_arn
  tags                          = local.tags
}

module "table" {
  source = "../../modules/dynamodb_table"

  name                   = "dev-tickets-items"
  hash_key               = "ticket_id"
  point_in_time_recovery = true
  deletion_protection    = false
  ttl_enabled            = false
  ttl_attribute          = "trellis_expires_at"
  kms_key_arn            = module.kms.key_arn
  tags                   = merge(local.tags, { approval = "none" })
}

# The high-water mark of incremental retrieval: one item, written by the retrieval
# function with a conditional put after every complete run.
module "state" {
  source = "../../modules/dynamodb_table"

  name                   = "dev-tickets-state"
  hash_key               = "name"
  point_in_time_recovery = true
  deletion_protection    = false
  ttl_enabled            = false
  ttl_attribute          = "trellis_expires_at"
  kms_key_arn            = module.kms.key_arn
  tags                   = merge(local.tags, { approval = "none" })
}

module "backup" {
  source = "../../modules/backup_bucket"

  name                    = "dev-tickets-backup-111111111111-ap-southeast-1"
  noncurrent_version_days = 365
  kms_key_arn             = module.kms.key_arn
  tags                    = local.tags
}

module "retrieve" {
  source = "../../modules/lambda_function"

  function_name           = "dev-tickets-retrieve"
  description             = "Fetches pages from the source concurrently and queues the raw records."
  handler                 = "runtime.ingest.retrieve.handler"
  runtime                 = "python3.13"
  architecture            = "arm64"
  package_file            = local.package_file
  package_base64sha256    = "M1WfJCUVWM178Fb6XkqQzTCGhYMnFb5wdc5PVLuKjxk="
  memory_size             = 256
  timeout                 = 600
  application_log_level   = "DEBUG"
  log_group_name          = "/aws/lambda/dev-tickets-retrieve"
  log_retention_days      = 30
  kms_key_arn             = module.kms.key_arn
  role_name               = "dev-tickets-retrieve"
  assume_role_policy_json = data.aws_iam_policy_document.retrieve_trust.json
  policy_json             = data.aws_iam_policy_document.retrieve.json
  permissions_boundary    = null
  dead_letter_target_arns = [module.failures.async_failures_arn]

  environment_variables = {
    TRELLIS_BLUEPRINT                     = "tickets"
    TRELLIS_CHECKPOINT_PARAMETER          = "/trellis/dev/tickets/checkpoint"
    TRELLIS_CONCURRENCY                   = "4"
    TRELLIS_ENV                           = "dev"
    TRELLIS_FUNCTION                      = "retrieve"
    TRELLIS_INCREMENTAL                   = "{\"initial\":\"2024-01-01T00:00:00Z\",\"lag_seconds\":120,\"param\":\"since\",\"response_path\":\"updated_at\"}"
    TRELLIS_LOG_LEVEL                     = "DEBUG"
    TRELLIS_QUEUE_URL                     = "https://sqs.ap-southeast-1.amazonaws.com/111111111111/dev-tickets-records"
    TRELLIS_RETRY                         = "{\"base_delay_ms\":200,\"max_attempts\":5,\"max_delay_ms\":20000}"
    TRELLIS_SOURCE                        = "{\"allowed_origins\":[],\"auth\":{\"oauth2_client_credentials\":{\"client_auth\":\"basic\",\"client_id_parameter\":\"/support/tickets/client-id\",\"client_secret_parameter\":\"/support/tickets/client-secret\",\"scopes\":[\"tickets:read\"],\"token_url\":\"https://auth.example.com/oauth2/token\"}},\"headers\":{},\"max_pages\":500,\"max_requests_per_second\":5.0,\"method\":\"GET\",\"pagination\":{\"link_header\":{}},\"query\":{\"direction\":\"asc\",\"per_page\":\"100\",\"sort\":\"updated\"},\"records_path\":\"\",\"timeout_seconds\":15,\"url\":\"https://helpdesk.example.com/api/v2/tickets\"}"
    TRELLIS_STATE_TABLE                   = "dev-tickets-state"
    TRELLIS_STOP_MAX_CONSECUTIVE_FAILURES = "10"
    TRELLIS_STOP_PARAMETER                = "/trellis/dev/tickets/stop"
  }

  tags = local.tags
}

module "process" {
  source = "../../modules/lambda_function"

  function_name           = "dev-tickets-process"
  description             = "Shapes queued records, stores changed ones in DynamoDB, backs them up to S3."
  handler                 = "runtime.ingest.process.handler"
  runtime                 = "python3.13"
  architecture            = "arm64"
  package_file            = local.package_file
  package_base64sha256    = "M1WfJCUVWM178Fb6XkqQzTCGhYMnFb5wdc5PVLuKjxk="
  memory_size             = 256
  timeout                 = 60
  application_log_level   = "DEBUG"
  log_group_name          = "/aws/lambda/dev-tickets-process"
  log_retention_days      = 30
  kms_key_arn             = module.kms.key_arn
  role_name               = "dev-tickets-process"
  assume_role_policy_json = data.aws_iam_policy_document.process_trust.json
  policy_json             = data.aws_iam_policy_document.process.json
  permissions_boundary    = null

  environment_variables = {
    TRELLIS_BACKUP_BUCKET                 = "dev-tickets-backup-111111111111-ap-southeast-1"
    TRELLIS_BACKUP_PREFIX                 = "raw/"
    TRELLIS_BLUEPRINT                     = "tickets"
    TRELLIS_ENV                           = "dev"
    TRELLIS_FUNCTION                      = "process"
    TRELLIS_LOG_LEVEL                     = "DEBUG"
    TRELLIS_RETRY                         = "{\"base_delay_ms\":200,\"max_attempts\":5,\"max_delay_ms\":20000}"
    TRELLIS_SHAPE                         = "{\"fields\":{\"status\":\"status\",\"ticket_id\":\"id\",\"title\":\"title\",\"updated_at\":\"updated_at\"},\"ignore_for_change\":[\"updated_at\"],\"key\":\"ticket_id\"}"
    TRELLIS_STOP_MAX_CONSECUTIVE_FAILURES = "10"
    TRELLIS_TABLE_NAME                    = "dev-tickets-items"
    TRELLIS_TTL_DAYS                      = ""
  }

  tags = local.tags
}

# The processing function consumes the queue in batches and reports partial failures, so
# only the failed messages return to the queue (and, after max_receive_count, the DLQ).
resource "aws_lambda_event_source_mapping" "process" {
  event_source_arn                   = module.queue.queue_arn
  function_name                      = module.process.function_arn
  batch_size                         = 25
  maximum_batching_window_in_seconds = 1
  function_response_types            = ["ReportBatchItemFailures"]
  tags                               = local.tags

  scaling_config {
    maximum_concurrency = 5
  }
}

# A scheduled run's own dead-letter queues: never the records' DLQ, never redriven.
module "failures" {
  source = "../../modules/failure_queues"

  async_failures_queue_name    = "dev-tickets-retrieve-failures"
  schedule_failures_queue_name = "dev-tickets-schedule-failures"
  function_label               = "dev-tickets-retrieve"
  kms_key_arn                  = module.kms.key_arn
  alarm_topic_arn              = module.alarms.topic_arn
  tags                         = local.tags
}

module "schedule" {
  source = "../../modules/scheduled_invoke"

  name                         = "dev-tickets-retrieve"
  schedule_expression          = "rate(10 minutes)"
  function_name                = module.retrieve.function_name
  function_arn                 = module.retrieve.function_arn
  schedule_failures_arn        = module.failures.schedule_failures_arn
  maximum_retry_attempts       = 0
  maximum_event_age_in_seconds = 60
  kms_key_arn                  = module.kms.key_arn
  role_name                    = "dev-tickets-scheduler"
  permissions_boundary         = null
  tags                         = local.tags
}

module "alarms" {
  source = "../../modules/pipeline_alarms"

  name_prefix            = "dev-tickets"
  topic_name             = "dev-tickets-alarms"
  kms_key_arn            = module.kms.key_arn
  dead_letter_queue_name = module.queue.dead_letter_name
  dead_letter_threshold  = 1
  function_names         = [module.retrieve.function_name, module.process.function_name]
  error_rate             = 0.05
  telemetry_functions    = ["retrieve", "process"]
  telemetry_dimensions   = { Blueprint = "tickets", Environment = "dev" }
  tags                   = local.tags
}
