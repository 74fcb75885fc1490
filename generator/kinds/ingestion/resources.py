"""The named resources of an ingestion pipeline: what resolve gives the later stages."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.deployment import Function, ParameterRead


@dataclass(frozen=True)
class IngestionResources:
    """The named resources of an ingestion pipeline."""

    queue_name: str
    queue_arn: str
    queue_url: str
    dlq_name: str
    dlq_arn: str
    table_name: str
    table_arn: str
    state_table_name: str | None
    """The table of the incremental high-water mark (only with ``incremental``)."""
    state_table_arn: str | None
    backup_bucket: str
    backup_bucket_arn: str
    backup_prefix: str
    kms_alias: str
    alarm_topic_name: str
    alarm_topic_arn: str
    schedule_name: str | None
    scheduler_role_name: str | None
    retrieve: Function | None
    process: Function
    async_failures_name: str | None = None
    """The retrieval function's own DLQ (failed asynchronous invocations), never the records DLQ."""
    async_failures_arn: str | None = None
    schedule_failures_name: str | None = None
    """The scheduler's own DLQ (events it could not deliver)."""
    schedule_failures_arn: str | None = None
    async_retry_attempts: int = 0
    """Lambda's asynchronous retries of a failed run: 1 only if a retry ends before the next."""
    async_event_age_seconds: int = 60
    """Age after which a run not yet (re)tried is dropped: the interval minus the timeout."""

    @property
    def functions(self) -> tuple[Function, ...]:
        """The pipeline's functions, retrieval first."""
        return tuple(f for f in (self.retrieve, self.process) if f is not None)

    @property
    def parameters_written(self) -> tuple[str, ...]:
        """SSM parameters the stack publishes: none."""
        return ()

    @property
    def parameters_read(self) -> tuple[ParameterRead, ...]:
        """SSM parameters the stack reads at plan time: none (its functions read their
        secrets at run time, with their own roles)."""
        return ()
