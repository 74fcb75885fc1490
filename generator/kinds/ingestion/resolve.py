"""Resolve an ingestion pipeline: the names, ARNs and runtime settings of its resources."""

from __future__ import annotations

import re

from generator.kinds.ingestion.blueprint import IngestionSpec
from generator.kinds.ingestion.resources import IngestionResources
from generator.model import names
from generator.model.deployment import Target
from generator.model.resolve import kms_alias, make_function, settings_json
from runtime import contract


def incremental_json(spec: IngestionSpec) -> str:
    """``TRELLIS_INCREMENTAL``: the incremental settings with the response field's dot path,
    or empty when the source is read in full every run."""
    incremental = spec.source.http.incremental if spec.source is not None else None
    if incremental is None:
        return ""
    return settings_json(
        {
            "param": incremental.param,
            "response_path": spec.shape.fields[incremental.response_field],
            "initial": incremental.initial,
            "lag_seconds": incremental.lag_seconds,
        }
    )


def ingestion_resources(blueprint: str, spec: IngestionSpec, target: Target) -> IngestionResources:
    """Names, ARNs and runtime settings of an ingestion pipeline."""
    queue = names.scoped_name(names.SQS_QUEUE, target.env, target.namespace, blueprint, "records")
    dlq = names.scoped_name(
        names.SQS_QUEUE, target.env, target.namespace, blueprint, "records", suffix="-dlq"
    )
    table = names.scoped_name(
        names.DYNAMODB_TABLE, target.env, target.namespace, blueprint, "items"
    )
    bucket = names.scoped_name(
        names.S3_BUCKET,
        target.env,
        target.namespace,
        blueprint,
        "backup",
        target.account_id,
        target.region,
    )
    topic = names.scoped_name(names.SNS_TOPIC, target.env, target.namespace, blueprint, "alarms")
    queue_url = f"https://sqs.{target.region}.amazonaws.com/{target.account_id}/{queue}"
    retry = settings_json(spec.retry.model_dump())
    stop = str(spec.stop.max_consecutive_failures)
    retrieve = None
    schedule = scheduler_role = async_failures = schedule_failures = state = None
    retries, event_age = async_limits(spec.trigger.schedule, spec.retrieval.timeout_seconds)
    http = spec.source.http if spec.source is not None else None
    if http is not None and http.incremental is not None:
        state = names.scoped_name(
            names.DYNAMODB_TABLE, target.env, target.namespace, blueprint, "state"
        )
    if spec.trigger.schedule is not None and spec.source is not None:  # validated together
        schedule = names.scoped_name(
            names.SCHEDULE, target.env, target.namespace, blueprint, "retrieve"
        )
        async_failures = names.scoped_name(
            names.SQS_QUEUE, target.env, target.namespace, blueprint, "retrieve-failures"
        )
        schedule_failures = names.scoped_name(
            names.SQS_QUEUE, target.env, target.namespace, blueprint, "schedule-failures"
        )
        scheduler_role = names.scoped_name(
            names.IAM_ROLE, target.env, target.namespace, blueprint, "scheduler"
        )
        retrieve = make_function(
            target,
            blueprint,
            "retrieve",
            contract.INGEST_HANDLERS["retrieve"],
            spec.retrieval.memory_mb,
            spec.retrieval.timeout_seconds,
            {
                contract.QUEUE_URL: queue_url,
                contract.CONCURRENCY: str(spec.retrieval.concurrency),
                contract.SOURCE: settings_json(
                    spec.source.http.model_dump(exclude={"incremental"}, exclude_none=True)
                ),
                contract.INCREMENTAL: incremental_json(spec),
                contract.STATE_TABLE: state or "",
                contract.RETRY: retry,
                contract.STOP_MAX_CONSECUTIVE_FAILURES: stop,
                contract.CHECKPOINT_PARAMETER: contract.control_parameter(
                    target.env, blueprint, "checkpoint"
                ),
                contract.STOP_PARAMETER: contract.control_parameter(target.env, blueprint, "stop"),
            },
        )
    process = make_function(
        target,
        blueprint,
        "process",
        contract.INGEST_HANDLERS["process"],
        spec.processing.memory_mb,
        spec.processing.timeout_seconds,
        {
            contract.TABLE_NAME: table,
            contract.BACKUP_BUCKET: bucket,
            contract.BACKUP_PREFIX: contract.DEFAULT_BACKUP_PREFIX,
            contract.SHAPE: settings_json(spec.shape.model_dump()),
            contract.TTL_DAYS: "" if spec.store.ttl_days is None else str(spec.store.ttl_days),
            contract.RETRY: retry,
            contract.STOP_MAX_CONSECUTIVE_FAILURES: stop,
        },
    )
    return IngestionResources(
        queue_name=queue,
        queue_arn=target.arn("sqs", queue),
        queue_url=queue_url,
        dlq_name=dlq,
        dlq_arn=target.arn("sqs", dlq),
        table_name=table,
        table_arn=target.arn("dynamodb", f"table/{table}"),
        state_table_name=state,
        state_table_arn=None if state is None else target.arn("dynamodb", f"table/{state}"),
        backup_bucket=bucket,
        backup_bucket_arn=target.arn("s3", bucket, region=False, account=False),
        backup_prefix=contract.DEFAULT_BACKUP_PREFIX,
        kms_alias=kms_alias(target, blueprint),
        alarm_topic_name=topic,
        alarm_topic_arn=target.arn("sns", topic),
        schedule_name=schedule,
        scheduler_role_name=scheduler_role,
        retrieve=retrieve,
        process=process,
        async_failures_name=async_failures,
        async_failures_arn=target.arn("sqs", async_failures) if async_failures else None,
        schedule_failures_name=schedule_failures,
        schedule_failures_arn=target.arn("sqs", schedule_failures) if schedule_failures else None,
        async_retry_attempts=retries,
        async_event_age_seconds=event_age,
    )


_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
ASYNC_RETRY_DELAY_SECONDS = 60
"""Lambda waits at least a minute before its first asynchronous retry."""
MIN_EVENT_AGE, MAX_EVENT_AGE = 60, 21600


def schedule_interval_seconds(expression: str | None) -> int | None:
    """Seconds between runs of a ``rate()`` schedule; ``None`` for ``cron()`` or no schedule."""
    match = _RATE.match(expression or "")
    if not match:
        return None
    return int(match[1]) * _UNIT_SECONDS[match[2].rstrip("s")]


def async_limits(expression: str | None, timeout_seconds: int) -> tuple[int, int]:
    """``(maximum_retry_attempts, maximum_event_age_in_seconds)`` for a scheduled function.

    A run is dropped once it is older than the interval minus the timeout, so no attempt
    can start late enough to overlap the next run; one retry is allowed only when a run
    that fails at its timeout can be retried (after Lambda's minute) and still finish
    before the next run. A ``cron()`` schedule's interval is unknown: no retries.
    """
    interval = schedule_interval_seconds(expression)
    if interval is None:
        return 0, MIN_EVENT_AGE
    age = max(MIN_EVENT_AGE, min(MAX_EVENT_AGE, interval - timeout_seconds))
    retry_ends = 2 * timeout_seconds + ASYNC_RETRY_DELAY_SECONDS
    return (1 if retry_ends <= interval else 0), age
