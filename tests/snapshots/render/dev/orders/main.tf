# orders (IngestionPipeline) in dev, from blueprints/orders.yaml.
# Rendered by trellis: edit the blueprint, not this file.

locals {
  tags = {
    blueprint  = "orders"
    env        = "dev"
    managed-by = "trellis"
    team       = "commerce"
  }
}

module "kms" {
  source = "../../modules/kms_key"

  alias              = "alias/dev-orders"
  description        = "Encrypts the queues, table, backups, logs and alarms of orders in dev: Orders from the commerce API, kept current in DynamoDB"
  service_principals = ["cloudwatch.amazonaws.com"]
  tags               = local.tags
}

module "queue" {
  source = "../../modules/sqs_queue"

  name                          = "dev-orders-records"
  dead_letter_name              = "dev-orders-records-dlq"
  visibility_timeout_seconds    = 360
  max_receive_count             = 5
  dead_letter_retention_seconds = 1209600
  kms_key_arn                   = module.kms.key_arn
  tags                          = local.tags
}

module "table" {
  source = "../../modules/dynamodb_table"

  name                   = "dev-orders-items"
  hash_key               = "order_id"
  point_in_time_recovery = true
  deletion_protection    = false
  ttl_enabled            = false
  ttl_attribute          = "trellis_expires_at"
  kms_key_arn            = module.kms.key_arn
  tags                   = merge(local.tags, { approval = "none" })
}

module "backup" {
  source = "../../modules/backup_bucket"

  name                    = "dev-orders-backup-111111111111-ap-southeast-1"
  noncurrent_version_days = 365
  kms_key_arn             = module.kms.key_arn
  tags                    = local.tags
}

module "retrieve" {
  source = "../../modules/lambda_function"

  function_name           = "dev-orders-retrieve"
  description             = "Fetches pages from the source concurrently and queues the raw records."
  handler                 = "runtime.ingest.retrieve.handler"
  package_type            = "Image"
  image_uri               = local.image_uri
  architecture            = "arm64"
  memory_size             = 256
  timeout                 = 300
  application_log_level   = "DEBUG"
  log_group_name          = "/aws/lambda/dev-orders-retrieve"
  log_retention_days      = 30
  kms_key_arn             = module.kms.key_arn
  role_name               = "dev-orders-retrieve"
  assume_role_policy_json = data.aws_iam_policy_document.retrieve_trust.json
  policy_json             = data.aws_iam_policy_document.retrieve.json
  permissions_boundary    = null
  dead_letter_target_arns = [module.failures.async_failures_arn]

  environment_variables = {
    TRELLIS_BLUEPRINT                     = "orders"
    TRELLIS_CHECKPOINT_PARAMETER          = "/trellis/dev/orders/checkpoint"
    TRELLIS_CONCURRENCY                   = "4"
    TRELLIS_ENV                           = "dev"
    TRELLIS_FUNCTION                      = "retrieve"
    TRELLIS_INCREMENTAL                   = ""
    TRELLIS_LOG_LEVEL                     = "DEBUG"
    TRELLIS_QUEUE_URL                     = "https://sqs.ap-southeast-1.amazonaws.com/111111111111/dev-orders-records"
    TRELLIS_RETRY                         = "{\"base_delay_ms\":200,\"max_attempts\":5,\"max_delay_ms\":20000}"
    TRELLIS_SOURCE                        = "{\"allowed_origins\":[],\"auth\":{\"bearer_token_parameter\":\"/commerce/orders/api-token\"},\"headers\":{\"Accept\":\"application/json\"},\"max_pages\":100,\"method\":\"GET\",\"pagination\":{\"cursor\":{\"param\":\"cursor\",\"response_path\":\"meta.next_cursor\"}},\"query\":{},\"records_path\":\"data.items\",\"timeout_seconds\":10,\"url\":\"https://api.example.com/v1/orders\"}"
    TRELLIS_STATE_TABLE                   = ""
    TRELLIS_STOP_MAX_CONSECUTIVE_FAILURES = "10"
    TRELLIS_STOP_PARAMETER                = "/trellis/dev/orders/stop"
  }

  tags = local.tags
}

module "process" {
  source = "../../modules/lambda_function"

  function_name           = "dev-orders-process"
  description             = "Shapes queued records, stores changed ones in DynamoDB, backs them up to S3."
  handler                 = "runtime.ingest.process.handler"
  package_type            = "Image"
  image_uri               = local.image_uri
  architecture            = "arm64"
  memory_size             = 256
  timeout                 = 60
  application_log_level   = "DEBUG"
  log_group_name          = "/aws/lambda/dev-orders-process"
  log_retention_days      = 30
  kms_key_arn             = module.kms.key_arn
  role_name               = "dev-orders-process"
  assume_role_policy_json = data.aws_iam_policy_document.process_trust.json
  policy_json             = data.aws_iam_policy_document.process.json
  permissions_boundary    = null

  environment_variables = {
    TRELLIS_BACKUP_BUCKET                 = "dev-orders-backup-111111111111-ap-southeast-1"
    TRELLIS_BACKUP_PREFIX                 = "raw/"
    TRELLIS_BLUEPRINT                     = "orders"
    TRELLIS_ENV                           = "dev"
    TRELLIS_FUNCTION                      = "process"
    TRELLIS_LOG_LEVEL                     = "DEBUG"
    TRELLIS_RETRY                         = "{\"base_delay_ms\":200,\"max_attempts\":5,\"max_delay_ms\":20000}"
    TRELLIS_SHAPE                         = "{\"fields\":{\"order_id\":\"id\",\"status\":\"status\",\"total\":\"amount.total\",\"updated_at\":\"updated_at\"},\"ignore_for_change\":[\"updated_at\"],\"key\":\"order_id\"}"
    TRELLIS_STOP_MAX_CONSECUTIVE_FAILURES = "10"
    TRELLIS_TABLE_NAME                    = "dev-orders-items"
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
    maximum_concurrency = 2
  }
}

# A scheduled run's own dead-letter queues: never the records' DLQ, never redriven.
module "failures" {
  source = "../../modules/failure_queues"

  async_failures_queue_name    = "dev-orders-retrieve-failures"
  schedule_failures_queue_name = "dev-orders-schedule-failures"
  function_label               = "dev-orders-retrieve"
  kms_key_arn                  = module.kms.key_arn
  alarm_topic_arn              = module.alarms.topic_arn
  tags                         = local.tags
}

module "schedule" {
  source = "../../modules/scheduled_invoke"

  name                         = "dev-orders-retrieve"
  schedule_expression          = "rate(15 minutes)"
  function_name                = module.retrieve.function_name
  function_arn                 = module.retrieve.function_arn
  schedule_failures_arn        = module.failures.schedule_failures_arn
  maximum_retry_attempts       = 1
  maximum_event_age_in_seconds = 600
  kms_key_arn                  = module.kms.key_arn
  role_name                    = "dev-orders-scheduler"
  permissions_boundary         = null
  tags                         = local.tags
}

module "alarms" {
  source = "../../modules/pipeline_alarms"

  name_prefix            = "dev-orders"
  topic_name             = "dev-orders-alarms"
  kms_key_arn            = module.kms.key_arn
  dead_letter_queue_name = module.queue.dead_letter_name
  dead_letter_threshold  = 1
  function_names         = [module.retrieve.function_name, module.process.function_name]
  error_rate             = 0.05
  telemetry_functions    = ["retrieve", "process"]
  telemetry_dimensions   = { Blueprint = "orders", Environment = "dev" }
  tags                   = local.tags
}
