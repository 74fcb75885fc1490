# events (IngestionPipeline) in prd, from blueprints/events.yaml.
# Rendered by trellis: edit the blueprint, not this file.

locals {
  package_file = "${path.module}/../../bundles/33559f24251558cd7bf056fa5e4a90cd308685832715be7075ce4f54bb8a8f19.zip"

  tags = {
    blueprint  = "events"
    env        = "prd"
    managed-by = "trellis"
    team       = "analytics"
  }
}

module "kms" {
  source = "../../modules/kms_key"

  alias              = "alias/prd-events"
  description        = "Encrypts the queues, table, backups, logs and alarms of events in prd: Audit events pushed by other services onto the queue"
  service_principals = ["cloudwatch.amazonaws.com"]
  tags               = local.tags
}

module "queue" {
  source = "../../modules/sqs_queue"

  name                          = "prd-events-records"
  dead_letter_name              = "prd-events-records-dlq"
  visibility_timeout_seconds    = 180
  max_receive_count             = 5
  dead_letter_retention_seconds = 1209600
  kms_key_arn                   = module.kms.key_arn
  tags                          = local.tags
}

module "table" {
  source = "../../modules/dynamodb_table"

  name                   = "prd-events-items"
  hash_key               = "event_id"
  point_in_time_recovery = true
  deletion_protection    = true
  ttl_enabled            = true
  ttl_attribute          = "trellis_expires_at"
  kms_key_arn            = module.kms.key_arn
  tags                   = merge(local.tags, { approval = "required" })
}

module "backup" {
  source = "../../modules/backup_bucket"

  name                    = "prd-events-backup-333333333333-ap-southeast-1"
  noncurrent_version_days = 90
  kms_key_arn             = module.kms.key_arn
  tags                    = local.tags
}

module "process" {
  source = "../../modules/lambda_function"

  function_name           = "prd-events-process"
  description             = "Shapes queued records, stores changed ones in DynamoDB, backs them up to S3."
  handler                 = "runtime.ingest.process.handler"
  runtime                 = "python3.13"
  architecture            = "arm64"
  package_file            = local.package_file
  package_base64sha256    = "M1WfJCUVWM178Fb6XkqQzTCGhYMnFb5wdc5PVLuKjxk="
  memory_size             = 256
  timeout                 = 30
  application_log_level   = "INFO"
  log_group_name          = "/aws/lambda/prd-events-process"
  log_retention_days      = 365
  kms_key_arn             = module.kms.key_arn
  role_name               = "prd-events-process"
  assume_role_policy_json = data.aws_iam_policy_document.process_trust.json
  policy_json             = data.aws_iam_policy_document.process.json
  permissions_boundary    = "arn:aws:iam::333333333333:policy/workload-boundary"

  environment_variables = {
    TRELLIS_BACKUP_BUCKET                 = "prd-events-backup-333333333333-ap-southeast-1"
    TRELLIS_BACKUP_PREFIX                 = "raw/"
    TRELLIS_BLUEPRINT                     = "events"
    TRELLIS_ENV                           = "prd"
    TRELLIS_FUNCTION                      = "process"
    TRELLIS_LOG_LEVEL                     = "INFO"
    TRELLIS_RETRY                         = "{\"base_delay_ms\":200,\"max_attempts\":5,\"max_delay_ms\":20000}"
    TRELLIS_SHAPE                         = "{\"fields\":{\"action\":\"action\",\"actor\":\"actor.id\",\"event_id\":\"id\",\"received_at\":\"meta.received_at\"},\"ignore_for_change\":[\"received_at\"],\"key\":\"event_id\"}"
    TRELLIS_STOP_MAX_CONSECUTIVE_FAILURES = "10"
    TRELLIS_TABLE_NAME                    = "prd-events-items"
    TRELLIS_TTL_DAYS                      = "90"
  }

  tags = local.tags
}

# The processing function consumes the queue in batches and reports partial failures, so
# only the failed messages return to the queue (and, after max_receive_count, the DLQ).
resource "aws_lambda_event_source_mapping" "process" {
  event_source_arn                   = module.queue.queue_arn
  function_name                      = module.process.function_arn
  batch_size                         = 100
  maximum_batching_window_in_seconds = 1
  function_response_types            = ["ReportBatchItemFailures"]
  tags                               = local.tags

  scaling_config {
    maximum_concurrency = 50
  }
}

module "alarms" {
  source = "../../modules/pipeline_alarms"

  name_prefix            = "prd-events"
  topic_name             = "prd-events-alarms"
  kms_key_arn            = module.kms.key_arn
  dead_letter_queue_name = module.queue.dead_letter_name
  dead_letter_threshold  = 1
  function_names         = [module.process.function_name]
  error_rate             = 0.05
  telemetry_functions    = ["process"]
  telemetry_dimensions   = { Blueprint = "events", Environment = "prd" }
  tags                   = local.tags
}
