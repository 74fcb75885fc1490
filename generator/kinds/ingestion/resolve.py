"""Resolve an ingestion pipeline: the names, ARNs and runtime settings of its resources."""

from __future__ import annotations

import re
from dataclasses import replace

from generator.kinds.ingestion.blueprint import IngestionSpec
from generator.kinds.ingestion.resources import IngestionResources
from generator.kinds.ingestion.settings import (
    common_settings,
    processing_settings,
    retrieval_settings,
)
from generator.model import names
from generator.model.deployment import Target
from generator.model.resolve import kms_alias, make_function
from runtime import contract
from runtime.contract.environment import to_environment
from runtime.contract.ingestion import ProcessingSettings, RetrievalSettings


def function_settings(
    blueprint: str,
    spec: IngestionSpec,
    target: Target,
    *,
    queue_url: str,
    state_table: str | None,
    table: str,
    bucket: str,
) -> dict[str, RetrievalSettings | ProcessingSettings]:
    """The contract settings of each function by purpose (``retrieve`` only with a source).

    Resolve writes them with :func:`~runtime.contract.environment.to_environment`; the runtime
    reads the same objects back (``tests/contract/`` holds the two equal).
    """
    common = common_settings(blueprint, target.env, "process", target.log_level, spec)
    built: dict[str, RetrievalSettings | ProcessingSettings] = {
        "process": processing_settings(
            common, spec, table=table, bucket=bucket, prefix=contract.DEFAULT_BACKUP_PREFIX
        )
    }
    if spec.source is not None:
        built["retrieve"] = retrieval_settings(
            replace(common, function="retrieve"),
            spec,
            spec.source.http,
            queue_url=queue_url,
            state_table=state_table,
            control_parameters=(
                contract.control_parameter(target.env, blueprint, "checkpoint"),
                contract.control_parameter(target.env, blueprint, "stop"),
            ),
        )
    return built


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
    retrieve = None
    schedule = scheduler_role = async_failures = schedule_failures = state = None
    retries, event_age = async_limits(spec.trigger.schedule, spec.retrieval.timeout_seconds)
    http = spec.source.http if spec.source is not None else None
    if http is not None and http.incremental is not None:
        state = names.scoped_name(
            names.DYNAMODB_TABLE, target.env, target.namespace, blueprint, "state"
        )
    settings = function_settings(
        blueprint, spec, target, queue_url=queue_url, state_table=state, table=table, bucket=bucket
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
            to_environment(settings["retrieve"]),
        )
    process = make_function(
        target,
        blueprint,
        "process",
        contract.INGEST_HANDLERS["process"],
        spec.processing.memory_mb,
        spec.processing.timeout_seconds,
        to_environment(settings["process"]),
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
